/**
 * Node flags every mpsh process is started with: the shebang of bin/mpsh
 * carries them, and whatever starts mpsh by the Node binary (the shell's
 * supervisor, tests, benchmarks) passes them (a unit test keeps the two in
 * step).
 *
 * --no-memory-reducer: once a role process's loop runs, it runs no
 * JavaScript, yet V8's memory reducer comes back some 4-8 s after start-up
 * for a few garbage collections on the main thread and V8's helper threads.
 * Those float over every CPU, the forwarding lcore's included: 10-20 ms of
 * them (measured), each a preemption of the loop that a ping through it
 * shows as a round trip of up to a millisecond. The flag only works at
 * launch: set later, the reducer is already scheduled.
 */
export const NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

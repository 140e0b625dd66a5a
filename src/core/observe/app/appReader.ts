/**
 * Reads the app's view (types.ts) from the addon and /proc, once per
 * sample. Xstat names are kept per port and read again only when the
 * number of values changes (a reconfigured port); values are read each time.
 */
import { DpdkError } from '../../util/errors.js';
import { native, type NativeAddon } from '../../dpdk/native.js';
import { PrefixProcesses, stateWord } from '../../os/prefixProcesses.js';
import type { RateFn } from '../stats/types.js';
import type { AppPort, AppProcess, AppView, Xstat } from './types.js';

/** What the reader needs from the addon (a fake in unit tests). */
export type AppAddon = Pick<NativeAddon, 'ethPortNames' | 'ethStats' | 'ethXstatNames' | 'ethXstats' | 'ethInfo' | 'mempoolList' | 'ringList' | 'memzoneList'>;

/** The command's name; mpsh itself runs as `node .../bin/mpsh`, and is named mpsh. */
const nameOf = (p: { comm: string; cmdline: string }) => (p.comm === 'node' && /\/mpsh(\s|$)/.test(p.cmdline) ? 'mpsh' : p.comm);

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class AppReader {
  private readonly xstatNames = new Map<number, string[]>();
  private readonly procs: PrefixProcesses;

  constructor(
    runtimeDir: string,
    private readonly addon: () => AppAddon = native,
  ) {
    this.procs = new PrefixProcesses(runtimeDir);
  }

  /** The app's view; `rate` gives per-second rates, `exclude` the pids shown as mpsh's own rows. */
  read(rate: RateFn, exclude: ReadonlySet<number>): AppView {
    const a = this.addon();
    return {
      ports: a.ethPortNames().map(({ port, name }) => this.port(a, port, name, rate)),
      pools: a.mempoolList().sort((x, y) => x.name.localeCompare(y.name)),
      rings: a.ringList().sort((x, y) => x.name.localeCompare(y.name)),
      memzones: a.memzoneList().sort((x, y) => x.name.localeCompare(y.name)),
      processes: this.processes(exclude),
    };
  }

  private port(a: AppAddon, port: number, name: string, rate: RateFn): AppPort {
    const out: AppPort = { port, name, info: null, stats: null, xstats: [], rxPps: 0, txPps: 0, rxBps: 0, txBps: 0, rxLostPps: 0 };
    try {
      out.info = a.ethInfo(port);
      const s = a.ethStats(port);
      out.stats = s;
      const key = `app:${port}:${name}`;
      out.rxPps = rate(`${key}:ipackets`, Number(s.ipackets));
      out.txPps = rate(`${key}:opackets`, Number(s.opackets));
      out.rxBps = rate(`${key}:ibytes`, Number(s.ibytes));
      out.txBps = rate(`${key}:obytes`, Number(s.obytes));
      out.rxLostPps = rate(`${key}:lost`, Number(s.imissed + s.ierrors + s.rxNombuf));
      out.xstats = this.xstats(a, port);
    } catch (err) {
      if (!(err instanceof DpdkError) && !(err instanceof RangeError)) throw err;
      out.error = message(err);
    }
    return out;
  }

  private xstats(a: AppAddon, port: number): Xstat[] {
    const values = a.ethXstats(port);
    let names = this.xstatNames.get(port);
    if (!names || names.length !== values.length) {
      names = a.ethXstatNames(port);
      this.xstatNames.set(port, names);
    }
    const out: Xstat[] = [];
    for (let i = 0; i < values.length && i < names.length; i++) out.push({ name: names[i]!, value: values[i]! });
    return out;
  }

  private processes(exclude: ReadonlySet<number>): AppProcess[] {
    const list = this.procs.read(new Set([...exclude, process.pid]));
    return list.map((p) => ({
      ...p,
      name: p.primary ? nameOf(p) : `${nameOf(p)}.${p.pid}`,
      role: p.primary ? 'primary' : 'secondary',
      mpsh: nameOf(p) === 'mpsh',
      state: stateWord(p.stateLetter),
    }));
  }
}

import { UsageError } from '../core/util/errors.js';
import { DESCENDING_BY_DEFAULT, parseSortColumn, SORT_COLUMNS } from '../core/observe/stats/view.js';
import { shown, words } from './parse.js';
import type { Command } from './types.js';

const USAGE = `usage: sort <column> [asc|desc] | sort off  (columns: ${SORT_COLUMNS.join(' ')})`;

/** sort <column>: the live panel's order; the same column again reverses it. */
export const sort: Command = {
  name: 'sort',
  maxArgs: 2,
  args: '<column> [asc|desc]',
  summary: 'order the live panel by a column (again: reverse; sort off: by name)',
  details: [
    `  columns: ${SORT_COLUMNS.join(' ')} (rxs, txs, up, max also work)`,
    '  numbers sort highest first, text A..Z; asc or desc chooses.',
    '  keys on an empty prompt: < and > sort by the previous/next column.',
  ].join('\n'),
  complete: (_ctx, partial) => [...SORT_COLUMNS, 'off', 'asc', 'desc'].filter((c) => c.startsWith(partial)),
  run(ctx, rest) {
    const [word, order, ...extra] = words(rest);
    if (!word || extra.length || (order !== undefined && order !== 'asc' && order !== 'desc')) throw new UsageError(USAGE);
    if (word === 'off') {
      ctx.session.setView({ sort: null });
      ctx.session.append('info', 'sorted by name');
      return;
    }
    const column = parseSortColumn(word);
    if (!column) throw new UsageError(`no column '${shown(word)}': ${USAGE}`);
    const now = ctx.session.view.sort;
    const descending = order ? order === 'desc' : now?.column === column ? !now.descending : DESCENDING_BY_DEFAULT.has(column);
    ctx.session.setView({ sort: { column, descending }, scroll: 0 });
    ctx.session.append('info', `sorted by ${column}, ${descending ? 'highest' : 'lowest'} first`);
  },
};

/** The sampler's readers over the real shared memory of this prefix. */
import { CsRegion, maxClients, PortInfoView, ringName, type CsReader, type PortInfoReader } from '../../roles/clientServer/region.js';
import { native } from '../../dpdk/native.js';
import { SymStatsRegion } from '../../roles/symmetric/statsRegion.js';
import type { RegionReaders } from './sampler.js';
import { AppReader } from '../app/appReader.js';

function countRings(): number {
  let n = 0;
  while (n < maxClients() && native().Ring.lookup(ringName(n))) n++;
  return n;
}

/** Each region is looked up until it exists, then kept. */
export function liveReaders(): RegionReaders {
  let sym: SymStatsRegion | null = null;
  let portInfo: PortInfoReader | null = null;
  let region: CsReader | null = null;
  let app: AppReader | null = null;
  return {
    app: (rate, exclude) => (app ??= new AppReader(native().ealInfo().runtimeDir)).read(rate, exclude),
    symmetric: () => (sym ??= SymStatsRegion.lookup()),
    clientServer: () => {
      portInfo ??= PortInfoView.lookup();
      if (!portInfo) return null;
      region ??= CsRegion.lookup();
      if (region && !region.valid) region = null;
      return { portInfo, region, ringCount: region?.numClients ? 0 : countRings() };
    },
  };
}

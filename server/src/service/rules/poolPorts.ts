// What a hostdev pool's <network> puts on every port it hands out, which net-define takes and a
// guest's start on the pool refuses. Mirrors libvirt's networkAllocatePort (src/network/bridge_driver.c):
//  - it copies the network's <port isolated> into a port whose interface sets none, and
//    virDomainActualNetDefValidate (src/conf/domain_validate.c) then refuses isolation on the VF;
//  - it merges the interface's, the network's and the portgroup's <virtualport>
//    (virNetDevVPortProfileMerge3, src/util/virnetdevvportprofile.c) and virNetDevVPortProfileCheckComplete
//    wants a profileid of an 802.1Qbh profile, which only the guest's interface can still give.
// The portgroup is the one the interface names, else the default one. Both start-time messages were
// seen with libvirt 9.0 on a guest of such a pool.
import { attribute, attributeSpan, attributeValue, failsAtStart, firstChild, quotedName, type Report } from './common';
import { childElements } from '../xml/query';
import type { XmlElement } from '../xml/types';
import { VF_ISOLATED_PORT_ADVICE, vfIsolatedPortError } from './elements';

/** the MAC a guest's interface gives the port: not known in the network document */
const GUEST_MAC = '52:54:00:xx:xx:xx';

export function checkPoolPorts(network: XmlElement, report: Report): void {
  const port = firstChild(network, 'port');
  const isolated = port ? attribute(port, 'isolated') : null;
  if (isolated && isolated.value === 'yes')
    report.add(
      'element-unsupported',
      'error',
      attributeSpan(isolated),
      failsAtStart(
        "<port isolated='yes'/> in a hostdev pool: every port it hands out is a VF",
        vfIsolatedPortError(GUEST_MAC),
        `${VF_ISOLATED_PORT_ADVICE} (Only a guest interface's own <port isolated='no'/> keeps it off that guest's VF.)`,
      ),
    );
  checkProfileIds(network, report);
}

interface Profile {
  element: XmlElement;
  /** the written type, null when none */
  type: string | null;
  /** a non-empty profileid in its first <parameters> */
  profileid: boolean;
}

function profileOf(virtualport: XmlElement | null): Profile | null {
  if (!virtualport) return null;
  const parameters = firstChild(virtualport, 'parameters');
  return {
    element: virtualport,
    type: attributeValue(virtualport, 'type') || null,
    profileid: Boolean(parameters && attributeValue(parameters, 'profileid')),
  };
}

/**
 * An 802.1Qbh profile that the network and the portgroup a port gets leave without a profileid: a
 * warning on the <virtualport> that sets the type, once, for each portgroup and, without a default
 * portgroup, for a port that names none.
 */
function checkProfileIds(network: XmlElement, report: Report): void {
  const own = profileOf(firstChild(network, 'virtualport'));
  const portgroups = childElements(network, 'portgroup');
  const reported = new Set<XmlElement>();
  const check = (portgroup: XmlElement | null) => {
    const group = portgroup ? profileOf(firstChild(portgroup, 'virtualport')) : null;
    const types = [own?.type, group?.type].filter((t): t is string => Boolean(t));
    // mismatched types are virNetDevVPortProfileMerge's own refusal
    if (types.length === 0 || types.some((t) => t !== '802.1Qbh') || own?.profileid || group?.profileid) return;
    const at = group?.type ? group : (own ?? group)!;
    if (reported.has(at.element)) return;
    reported.add(at.element);
    const where = at === group ? ` of portgroup ${quotedName(attributeValue(portgroup!, 'name') ?? '')}` : '';
    report.add(
      'virtualport-parameters',
      'warning',
      at.element.nameSpan,
      failsAtStart(
        `802.1Qbh <virtualport>${where} without profileid`,
        "XML error: missing profileid in <virtualport type='802.1Qbh'>",
        `${at === group && own ? "The network's <virtualport> has none either: a" : 'A'} guest starts only when its <interface> gives one. ` +
          "Add <parameters profileid='…'/> here, or give each guest's <interface> on the pool one.",
      ),
    );
  };
  for (const portgroup of portgroups) check(portgroup);
  // a port that names no portgroup gets the default one (virPortGroupParseXML reads 'yes' in any case)
  if (!portgroups.some((pg) => attributeValue(pg, 'default')?.toLowerCase() === 'yes')) check(null);
}

// The <forward> modes and <driver name>s a <network> may have, each with what it makes of the network:
// the rules check a document against the lists, completion and hover show the words. Mirrors libvirt's
// virNetworkForward and virNetworkForwardDriverName enums (src/conf/network_conf.c).

/** virNetworkForward; 'none' is an isolated network */
export const FORWARD_MODES = ['none', 'nat', 'route', 'open', 'bridge', 'private', 'vepa', 'passthrough', 'hostdev'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

/** virNetworkForwardDriverName above 'default' (which the parser refuses) */
export const FORWARD_DRIVERS = ['kvm', 'vfio'] as const;

/** What each <forward mode> makes of the network (formatnetwork.html); net-define refuses nat, route and open without an <ip>. */
export const FORWARD_MODE_DETAILS: Record<ForwardMode, string> = {
  hostdev: "VF pool: each guest's <interface type='network'> gets a whole VF by PCI passthrough (from <pf dev> or the <address> list)",
  passthrough: 'macvtap passthrough: each guest gets one netdev of the pool (a VF of <pf dev> or an <interface dev>) to itself',
  nat: 'NAT to the host network (the mode when none is given); needs an <ip>',
  route: 'routed to the host network, no NAT; needs an <ip>',
  open: 'routed, and libvirt adds no firewall rules; needs an <ip>',
  bridge: 'an existing host bridge (<bridge name>), or macvtap bridge mode on the pool netdevs',
  private: 'macvtap private mode: guests cannot reach each other',
  vepa: 'macvtap VEPA mode: guest traffic goes through the external switch',
  none: 'isolated: the guests and the host only (as no <forward>)',
};

/** <forward><driver name>: how the pool's VFs are assigned; vfio first */
export const FORWARD_DRIVER_DETAILS: Record<(typeof FORWARD_DRIVERS)[number], string> = {
  vfio: 'VFIO (the only backend QEMU supports)',
  kvm: "legacy KVM assignment: net-define accepts it, a guest using the pool fails at start (QEMU: host doesn't support legacy PCI passthrough)",
};

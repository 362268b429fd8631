// The `source` of every diagnostic the server publishes: the client tells ours from other
// extensions' by it (attach refuses a device with our errors). Imports nothing.
export const DIAGNOSTIC_SOURCE = 'libvirt-hostdev';

// Entry of the `libvirt-hostdev` CLI.
export {};

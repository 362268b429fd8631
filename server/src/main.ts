// Entry of `libvirt-hostdev-language-server --stdio`.
export {};

// The package version, for --version and SARIF's driver.version (the server's serverInfo.version).
export { serverVersion as cliVersion } from '../lsp/version';

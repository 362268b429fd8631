// Placeholder until the client issue lands: starts the language server for XML files.
export function activate(): void {}
export function deactivate(): void {}

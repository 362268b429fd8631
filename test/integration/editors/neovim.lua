-- Driven by neovim.test.ts: Neovim 0.7 (Debian's package) as a real LSP client of the bundled server,
-- started by the README's recipe. Opens a domain XML, waits for diagnostics, asks for a hover, a
-- completion and the code actions of a line, runs the "Attach to <guest>" CodeLens the way a user does
-- (:lua vim.lsp.codelens.run() on the lens line), opens a second XML file, asks for the host's readiness
-- report (the server command), opens a document with thousands of problems, writes what it saw to a JSON
-- file, quits.
local cfg = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('LHD_EDITOR_CONFIG')), '\n'))
local out = { log = {} }
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(out) }, cfg.out)
  vim.cmd('qa!')
end

-- What the server says, heard from any client (the README's recipe sets no handlers of its own).
-- The server says when the host's inventory is in (README: other editors).
vim.lsp.handlers['libvirtHostdev/inventoryStatus'] = function(_, result) out.inventoryState = result.state end
vim.lsp.handlers['window/showMessage'] = function(_, result) table.insert(out.log, result.message) end
-- 0.7's default asks with inputlist(), which waits for a keyboard a headless run has not got:
-- record the question and answer none (the server then cancels).
vim.lsp.handlers['window/showMessageRequest'] = function(_, result)
  table.insert(out.log, 'asked: ' .. result.message)
  return vim.NIL
end

-- The README's recipe for Neovim 0.7-0.10 as a user pastes it (neovim.test.ts copies it out of the
-- README), started with the bundled server and the test's settings in place of the recipe's.
out.started = 0
local start_client = vim.lsp.start_client
vim.lsp.start_client = function(config)
  out.started = out.started + 1
  config.cmd = { cfg.node, cfg.server, '--stdio' }
  config.settings = { libvirtHostdev = cfg.settings }
  return start_client(config)
end
-- a user's Neovim detects file types; -u NONE leaves that off
vim.cmd('filetype on')
dofile(cfg.recipe)

vim.cmd('edit ' .. vim.fn.fnameescape(cfg.file))
local bufnr = vim.api.nvim_get_current_buf()
local function clientOf(buf)
  local _, client = next(vim.lsp.buf_get_clients(buf))
  return client
end
vim.wait(cfg.timeoutMs, function() return clientOf(bufnr) ~= nil end, 50)
local client = clientOf(bufnr)
if not client then return finish() end

-- diagnostics, and the inventory-backed ones once the loopback host has answered
out.sawDiagnostics = vim.wait(cfg.timeoutMs, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'mac-multicast' then return true end
  end
  return false
end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(out.diagnostics, { code = d.code, lnum = d.lnum, severity = d.severity, source = d.source })
end
out.executeCommands = (client.server_capabilities.executeCommandProvider or {}).commands or vim.NIL

-- what K, <C-x><C-o> and a code action ask for, at the positions the test gives (0-based, UTF-16),
-- once the host's inventory is in
vim.wait(cfg.timeoutMs, function() return out.inventoryState == 'ok' end, 50)
local function at(pos)
  return { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = pos }
end
local function first(responses)
  for _, r in pairs(responses or {}) do
    if r.result then return r.result end
  end
  return nil
end
local hover = first(vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', at(cfg.hoverAt), cfg.timeoutMs))
out.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL
local completion = first(vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', at(cfg.completeAt), cfg.timeoutMs))
out.completionLabels = {}
for _, item in ipairs(completion and (completion.items or completion) or {}) do
  table.insert(out.completionLabels, item.label)
end
local actionParams = {
  textDocument = vim.lsp.util.make_text_document_params(bufnr),
  range = { start = cfg.actionAt, ['end'] = cfg.actionAt },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, cfg.actionAt.line) },
}
out.actionTitles = {}
for _, action in ipairs(first(vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', actionParams, cfg.timeoutMs)) or {}) do
  table.insert(out.actionTitles, action.title)
end

-- CodeLenses (several on one line: pick "Attach to <guest>" as the user would in the select list)
vim.lsp.codelens.refresh()
local lensLine
vim.wait(cfg.timeoutMs, function()
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    if lens.command and lens.command.title == "Attach to '" .. cfg.guest .. "'" then
      lensLine = lens.range.start.line
      return true
    end
  end
  return false
end, 50)
out.lensTitles = {}
for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
  if lens.command then table.insert(out.lensTitles, lens.command.title) end
end
if not lensLine then return finish() end

vim.ui.select = function(items, opts, on_choice)
  for i, item in ipairs(items) do
    local title = opts and opts.format_item and opts.format_item(item) or tostring(item)
    if title == "Attach to '" .. cfg.guest .. "'" then return on_choice(item, i) end
  end
  on_choice(nil, nil)
end
local done = false
local original = vim.lsp.handlers['workspace/executeCommand']
vim.lsp.handlers['workspace/executeCommand'] = function(err, result, ctx, config)
  out.attach = result or vim.NIL
  out.attachError = err and err.message or vim.NIL
  done = true
  if original then return original(err, result, ctx, config) end
end
vim.api.nvim_win_set_cursor(0, { lensLine + 1, 0 })
vim.lsp.codelens.run()
vim.wait(cfg.timeoutMs, function() return done end, 50)

-- a second XML file (in a folder with a project config): the same server checks it, with the same settings
vim.cmd('edit ' .. vim.fn.fnameescape(cfg.second))
local second = vim.api.nvim_get_current_buf()
out.secondDiagnostics = {}
out.secondSeverities = {}
vim.wait(cfg.timeoutMs, function() return #vim.diagnostic.get(second) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(second)) do
  table.insert(out.secondDiagnostics, d.code)
  out.secondSeverities[d.code] = d.severity
end
out.secondClient = clientOf(second) and clientOf(second).id == client.id

-- the host's readiness report through the server command, as the README has users run it
local readiness = client.request_sync('workspace/executeCommand', { command = 'libvirtHostdev.server.readiness', arguments = { {} } }, cfg.timeoutMs)
out.readiness = readiness and readiness.result or vim.NIL

-- a document with more problems than an editor is sent: what Neovim holds for it
vim.cmd('edit ' .. vim.fn.fnameescape(cfg.many))
local many = vim.api.nvim_get_current_buf()
vim.wait(cfg.timeoutMs, function() return #vim.diagnostic.get(many) > 0 end, 50)
out.manyCount = #vim.diagnostic.get(many)
out.manyFirstLine = {}
for _, d in ipairs(vim.diagnostic.get(many, { lnum = 0 })) do
  table.insert(out.manyFirstLine, { message = d.message, severity = d.severity, source = d.source })
end
finish()

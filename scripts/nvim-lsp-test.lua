-- Headless Neovim as a real LSP client of `iamlint lsp` (run by scripts/nvim-lsp-test.sh).
--
-- Opens $NVIM_LSP_FILE, starts the server for it, waits (bounded) for its diagnostics and writes
-- them to $NVIM_LSP_OUT, one `diag CODE LINE COL MESSAGE` line each (1-based line, 1-based byte
-- column, as Neovim stores them after converting the server's positions). Then opens
-- $NVIM_LSP_HOVER_FILE, hovers on the first `s3:GetObject` and writes `hover MARKDOWN` (newlines
-- as ` | `). Works with Neovim 0.7 (Debian 12) and later: `vim.lsp.start` where it exists,
-- `vim.lsp.start_client` + `buf_attach_client` before that.

local bin = assert(os.getenv('IAMLINT_BIN'), 'IAMLINT_BIN is not set')
local diag_file = assert(os.getenv('NVIM_LSP_FILE'), 'NVIM_LSP_FILE is not set')
local hover_file = assert(os.getenv('NVIM_LSP_HOVER_FILE'), 'NVIM_LSP_HOVER_FILE is not set')
local out_path = assert(os.getenv('NVIM_LSP_OUT'), 'NVIM_LSP_OUT is not set')
local timeout_ms = tonumber(os.getenv('NVIM_LSP_TIMEOUT_MS') or '15000')

local out = assert(io.open(out_path, 'w'))
local function emit(line)
  out:write(line, '\n')
  out:flush()
end

local published = {}
local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
local config = {
  name = 'iamlint',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, cfg)
      default_handler(err, result, ctx, cfg)
      if result and result.uri then
        published[result.uri] = true
      end
    end,
  },
}

local client_id
local function attach(buf)
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = buf })
  else
    client_id = client_id or vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  assert(client_id, 'the client did not start')
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(diag_file))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  attach(buf)
  if not vim.wait(timeout_ms, function() return published[uri] end, 20) then
    error('no diagnostics published for ' .. uri .. ' within ' .. timeout_ms .. ' ms')
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
    local message = (d.message or ''):gsub('\n', ' | ')
    emit(string.format('diag %s %d %d %s', code, d.lnum + 1, d.col + 1, message))
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(hover_file))
  local hbuf = vim.api.nvim_get_current_buf()
  attach(hbuf)
  local row
  local col
  for i, line in ipairs(vim.api.nvim_buf_get_lines(hbuf, 0, -1, false)) do
    local at = line:find('s3:GetObject', 1, true)
    if at then
      row, col = i, at + 3 -- inside the name, after `s3:`
      break
    end
  end
  assert(row, 'no `s3:GetObject` in ' .. hover_file)
  vim.api.nvim_win_set_cursor(0, { row, col - 1 })
  local client = vim.lsp.get_client_by_id(client_id)
  local params = vim.lsp.util.make_position_params(0, client and client.offset_encoding or 'utf-16')
  local replies = vim.lsp.buf_request_sync(hbuf, 'textDocument/hover', params, timeout_ms)
  local text
  for _, reply in pairs(replies or {}) do
    local contents = reply.result and reply.result.contents
    if type(contents) == 'table' then
      text = contents.value or vim.inspect(contents)
    end
  end
  if not text then
    error('no hover for s3:GetObject: ' .. vim.inspect(replies))
  end
  emit('hover ' .. text:gsub('\n', ' | '))

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end

local ok, err = pcall(main)
if not ok then
  emit('error ' .. tostring(err))
  out:close()
  vim.cmd('cquit 1')
end
out:close()
vim.cmd('qall!')

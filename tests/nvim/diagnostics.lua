-- Opens one file of a workspace in headless Neovim with its built-in LSP
-- client on `cargo-boundaries lsp`, waits for the diagnostics, and writes
-- them as JSON. Run by tests/it/lsp_nvim.rs:
--   BOUNDARIES_BIN, BOUNDARIES_ROOT, BOUNDARIES_FILE, BOUNDARIES_OUT
-- Written for Neovim 0.7 and later (vim.lsp.start_client).

local function run()
  local bin = os.getenv('BOUNDARIES_BIN')
  local root = os.getenv('BOUNDARIES_ROOT')
  local file = os.getenv('BOUNDARIES_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    name = 'cargo-boundaries',
    cmd = { bin, 'lsp' },
    root_dir = root,
  })
  assert(client, 'the client did not start')
  vim.lsp.buf_attach_client(bufnr, client)
  local seen = vim.wait(120000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  assert(seen, 'no diagnostics within 120 s')
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(out, {
      code = d.code or lsp.code,
      source = d.source or lsp.source,
      severity = d.severity,
      message = d.message,
      -- Neovim's own positions: 0-based lines, byte columns.
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
    })
  end
  vim.lsp.stop_client(client)
  return out
end

local ok, result = pcall(run)
local written = ok and { diagnostics = result } or { error = tostring(result) }
vim.fn.writefile({ vim.fn.json_encode(written) }, os.getenv('BOUNDARIES_OUT'))
vim.cmd(ok and 'qall!' or 'cquit! 1')

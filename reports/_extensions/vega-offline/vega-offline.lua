-- Serve Vega, Vega-Lite and Vega-Embed from the site itself (no CDN).
-- Pages whose raw HTML calls vegaEmbed get one dependency on vega-bundle.js (written by `notices notebooks`
-- from vl-convert's bundle); Quarto copies it into site_libs/ and links it with the right relative path.
local added = false

local function needs_vega(text)
  return text:find("vegaEmbed%(") ~= nil
end

function RawBlock(el)
  if not added and el.format:match("html") and needs_vega(el.text) then
    quarto.doc.add_html_dependency({
      name = "vega-offline",
      version = "6.4",
      scripts = { "vega-bundle.js" },
    })
    added = true
  end
  return el
end

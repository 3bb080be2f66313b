// The JavaScript in a data: URL, for new Worker(new URL('data:...')): Node
// loads such a URL as an ES module ("text/javascript", percent-encoded or
// base64).

import { makeError } from 'weft:internal/errors';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Bytes(text) {
  const digits = text.replace(/[\s=]/g, '');
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const c of digits) {
    const d = BASE64.indexOf(c === '-' ? '+' : c === '_' ? '/' : c);
    if (d < 0) throw makeError(TypeError, 'ERR_INVALID_URL', `Invalid base64 in data: URL: '${c}'`);
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

// %XX escapes are bytes; the rest is text (a URL's href is ASCII).
function percentBytes(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(text[i]));
    }
  }
  return Uint8Array.from(bytes);
}

// The source text of a data: URL.
export function dataURLSource(href) {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(href);
  const mime = m ? m[1].split(';')[0].trim().toLowerCase() : '';
  if (mime !== 'text/javascript' && mime !== 'application/javascript') {
    throw makeError(RangeError, 'ERR_UNKNOWN_MODULE_FORMAT', `Unknown module format: ${mime || 'none'} for URL ${href}`);
  }
  return new TextDecoder().decode(m[2] ? base64Bytes(m[3]) : percentBytes(m[3]));
}

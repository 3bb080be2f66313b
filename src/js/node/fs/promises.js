// Node's `fs/promises`: the same object as `fs.promises` (weft:node/fs).

import { promises } from 'weft:node/fs';

export const {
  access, appendFile, chmod, copyFile, constants, link, lstat, lutimes, mkdir, mkdtemp, open,
  readdir, readFile, readlink, realpath, rename, rm, rmdir, stat, symlink, truncate, unlink,
  utimes, writeFile,
} = promises;

export default promises;

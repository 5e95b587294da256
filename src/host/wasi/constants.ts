/**
 * WASI preview1 numbers: errno codes, file types, flags, rights and struct layouts,
 * as defined by the `wasi_snapshot_preview1` witx (typenames.witx).
 */

/** `errno` (u16). Only the codes this implementation returns are named. */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1, // E2BIG
  ACCES: 2,
  AGAIN: 6,
  BADF: 8,
  BUSY: 10,
  EXIST: 20,
  FAULT: 21,
  FBIG: 22,
  ILSEQ: 25,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOMEM: 48,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  OVERFLOW: 61,
  PERM: 63,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

/** `filetype` (u8). */
export const FileType = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

/** `clockid` (u32). */
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;

/** `eventtype` (u8): the tag of a subscription and the type of an event. */
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** `subclockflags` (u16): the timeout is an absolute time of the clock, not a duration. */
export const SUBCLOCKFLAGS_ABSTIME = 1;

/** `eventrwflags` (u16): the other end has closed (end of input). */
export const EVENTRWFLAGS_HANGUP = 1;

/** `whence` (u8). */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** `fdflags` (u16). */
export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const FDFLAGS_ALL = 0x1f;

/** `oflags` (u16). */
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;

/** `rights` (u64) bits, as bigint because bits above 31 exist. */
export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

/** Rights that make sense on a regular file descriptor. */
export const FILE_RIGHTS =
  Rights.FD_DATASYNC |
  Rights.FD_READ |
  Rights.FD_SEEK |
  Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_SYNC |
  Rights.FD_TELL |
  Rights.FD_WRITE |
  Rights.FD_ADVISE |
  Rights.FD_ALLOCATE |
  Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_FILESTAT_SET_TIMES |
  Rights.POLL_FD_READWRITE;

/** Rights that make sense on a directory descriptor. */
export const DIRECTORY_RIGHTS =
  Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_SYNC |
  Rights.FD_ADVISE |
  Rights.PATH_CREATE_DIRECTORY |
  Rights.PATH_CREATE_FILE |
  Rights.PATH_LINK_SOURCE |
  Rights.PATH_LINK_TARGET |
  Rights.PATH_OPEN |
  Rights.FD_READDIR |
  Rights.PATH_READLINK |
  Rights.PATH_RENAME_SOURCE |
  Rights.PATH_RENAME_TARGET |
  Rights.PATH_FILESTAT_GET |
  Rights.PATH_FILESTAT_SET_SIZE |
  Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_TIMES |
  Rights.PATH_SYMLINK |
  Rights.PATH_REMOVE_DIRECTORY |
  Rights.PATH_UNLINK_FILE;

/** Struct layouts (byte offsets and sizes) from the witx, wasm32. */
export const Layout = {
  /** iovec / ciovec: buf u32 @0, buf_len u32 @4. */
  IOVEC_SIZE: 8,
  /** fdstat: fs_filetype u8 @0, fs_flags u16 @2, fs_rights_base u64 @8, fs_rights_inheriting u64 @16. */
  FDSTAT_SIZE: 24,
  /** filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56. */
  FILESTAT_SIZE: 64,
  /** dirent: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20. */
  DIRENT_SIZE: 24,
  /** prestat: tag u8 @0, pr_name_len u32 @4. */
  PRESTAT_SIZE: 8,
  /**
   * subscription: userdata u64 @0, tag u8 @8; clock: id u32 @16, timeout u64 @24,
   * precision u64 @32, flags u16 @40; fd_read/fd_write: file_descriptor u32 @16.
   */
  SUBSCRIPTION_SIZE: 48,
  /** event: userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24. */
  EVENT_SIZE: 32,
} as const;

/** `preopentype`: the only variant is a directory. */
export const PREOPENTYPE_DIR = 0;

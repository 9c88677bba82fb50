/** When an entry file was first and last committed: git reads them, the catalog publishes them. */
export interface FileDates {
  /** First commit touching the file (RFC 3339, UTC). */
  publishedAt: string;
  /** Last commit touching the file. */
  updatedAt: string;
}

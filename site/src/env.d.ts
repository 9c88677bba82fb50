declare module 'virtual:mcp-site-data' {
  const data: import('../../scripts/site/site-data.ts').SiteData;
  export default data;
}

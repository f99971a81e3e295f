// Types of the page bundle scripts/build-web.ts writes (assets.generated.js, not checked in).
export declare const INDEX_HTML: string;
export declare const APP_JS: string;
export declare const FAVICON_SVG: string;
export declare const TERMINAL_HTML: string;
export declare const TERMINAL_JS: string;

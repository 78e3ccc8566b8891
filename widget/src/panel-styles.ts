/**
 * The panel's CSS, adopted by the shadow root when the panel loads. Light and dark palettes follow
 * prefers-color-scheme; every text colour meets WCAG AA contrast on its background. --p and --t
 * (the tenant's colour and the readable text on it) come from the launcher's sheet.
 */
export const panelCss = `.w{--bg:#fff;--fg:#1d1d1f;--mu:#595963;--bu:#f0f0f3;--li:#1f4fd1;--bo:#c4c4cc;--ri:#1a56db;position:fixed;bottom:88px;right:20px;z-index:2147483001;width:min(384px,calc(100vw - 40px));height:min(600px,calc(100vh - 112px));background:var(--bg);color:var(--fg);border-radius:16px;box-shadow:0 8px 30px #0005;display:flex;flex-direction:column;overflow:hidden;font-size:15px;line-height:1.45}
@media (prefers-color-scheme:dark){.w{--bg:#1c1c1f;--fg:#ececf1;--mu:#b4b4be;--bu:#2c2c31;--li:#9ab8ff;--bo:#55555e;--ri:#9ab8ff}}
.w[hidden]{display:none}
.left .w{right:auto;left:20px}
.w :focus-visible{outline:3px solid var(--ri);outline-offset:2px}
.hdr{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;background:var(--p);color:var(--t)}
.hdr :focus-visible{outline-color:var(--t)}
.av{width:36px;height:36px;border-radius:50%;flex:none;object-fit:cover;display:grid;place-items:center;background:var(--t);color:var(--p);font-weight:700}
.hd{flex:1;min-width:0}
h2{margin:0;font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{margin:0;font-size:13px;opacity:.95}
.x{width:44px;height:44px;flex:none;border:0;border-radius:50%;background:none;color:inherit;font-size:26px;line-height:1;cursor:pointer}
.x:hover{background:#0002}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px 12px}
.ms{margin:0;padding:0;list-style:none;display:flex;flex-direction:column;gap:6px}
.m{max-width:85%;padding:8px 12px;border-radius:14px;overflow-wrap:anywhere;background:var(--bu)}
.m p,.m ul,.m ol{margin:0 0 6px}.m>:last-child{margin-bottom:0}
.m ul,.m ol{padding-left:20px}
.m code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;padding:1px 4px;border-radius:4px;background:#8882}
.m a{color:var(--li)}
.u{align-self:flex-end;background:var(--p);color:var(--t);white-space:pre-wrap}
.u a{color:inherit}
.ag{border:2px solid var(--p)}
.who{font-size:12px;color:var(--mu);margin:6px 4px 0}
.st{align-self:flex-end;font-size:12px;color:var(--mu);margin:0 4px}
.st button,.cn button{font:inherit;color:var(--li);background:none;border:0;padding:4px;min-height:24px;text-decoration:underline;cursor:pointer}
.ci{display:block;margin-top:6px;font-size:13px;color:var(--mu)}
.cn{margin:0;padding:6px 12px;font-size:13px;background:var(--bu);color:var(--fg)}
.cn:empty{display:none}
.ty{display:flex;gap:4px;padding:12px 14px;align-self:flex-start}
.ty i{width:7px;height:7px;border-radius:50%;background:var(--mu)}
@media (prefers-reduced-motion:no-preference){.ty i{animation:c 1s infinite}.ty i:nth-child(2){animation-delay:.2s}.ty i:nth-child(3){animation-delay:.4s}}
@keyframes c{50%{opacity:.3}}
form{display:flex;align-items:flex-end;gap:8px;padding:10px;border-top:1px solid var(--bo)}
textarea{flex:1;resize:none;field-sizing:content;min-height:44px;max-height:140px;border:1px solid var(--bo);border-radius:12px;padding:10px 12px;font:inherit;font-size:16px;background:var(--bg);color:var(--fg)}
textarea::placeholder{color:var(--mu)}
form button{width:44px;height:44px;flex:none;border:0;border-radius:50%;background:var(--p);color:var(--t);cursor:pointer;display:grid;place-items:center}
form button svg{width:20px;height:20px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (max-width:480px){.w,.left .w{inset:var(--vt,0) 0 auto 0;width:100%;height:var(--vh,100%);border-radius:0;padding:0 env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}.hdr{padding-top:max(12px,env(safe-area-inset-top))}}`;

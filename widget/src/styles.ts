/** Lives inside the widget's shadow root: the page's CSS cannot reach in, ours cannot leak out. */
export const styles = `
:host{all:initial}
*{box-sizing:border-box}
.ra{--ra-primary:#0f766e;--ra-on-primary:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
.ra-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer}
button:disabled{cursor:default;opacity:.55}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.ra-launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;width:58px;height:58px;border:0;border-radius:50%;background:var(--ra-primary);color:var(--ra-on-primary);box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center}
.ra-left .ra-launcher,.ra-left .ra-panel{right:auto;left:20px}
.ra-launcher svg{width:28px;height:28px;fill:currentColor}
.ra-panel{position:fixed;bottom:92px;right:20px;z-index:2147483001;width:380px;height:min(620px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden}
.ra-panel[hidden]{display:none}
.ra-head{display:flex;align-items:center;gap:4px;padding:12px 8px 12px 16px;background:var(--ra-primary);color:var(--ra-on-primary)}
.ra-head h2{flex:1;margin:0;font-size:16px;font-weight:600}
.ra-icon{border:0;background:transparent;color:inherit;width:36px;height:36px;border-radius:8px;font-size:20px;line-height:1}
.ra-icon:hover{background:rgba(255,255,255,.18)}
.ra-log{flex:1;overflow-y:auto;padding:16px 12px;display:flex;flex-direction:column;gap:10px;background:#f6f7f9}
.ra-msg{max-width:85%;padding:9px 13px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.ra-user{align-self:flex-end;background:var(--ra-primary);color:var(--ra-on-primary);border-bottom-right-radius:4px}
.ra-assistant{align-self:flex-start;background:#fff;border:1px solid #e3e5e8;border-bottom-left-radius:4px}
.ra-links{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.ra-link{display:inline-block;margin:2px 0;padding:6px 12px;border-radius:999px;background:var(--ra-primary);color:var(--ra-on-primary);text-decoration:none;font-weight:600;white-space:normal}
.ra-cards{display:flex;gap:8px;overflow-x:auto;padding:2px 2px 6px;scroll-snap-type:x mandatory;flex-shrink:0}
.ra-card{flex:0 0 150px;scroll-snap-align:start;display:flex;flex-direction:column;gap:4px;padding:8px;background:#fff;border:1px solid #e3e5e8;border-radius:12px}
.ra-card-image{position:relative;height:96px;border-radius:8px;background:#e8eef0;display:grid;place-items:center;overflow:hidden}
.ra-card-image img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.ra-card-initial{font-size:32px;font-weight:700;color:#9aa5ad}
.ra-card-name{font-size:13px;font-weight:600;line-height:1.3;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}
.ra-card-price{font-size:14px;color:#3d4750}
.ra-add{margin-top:auto;padding:6px 8px;border:1px solid var(--ra-primary);border-radius:8px;background:#fff;color:var(--ra-primary);font-size:13px;font-weight:600}
.ra-add:not(:disabled):hover{background:var(--ra-primary);color:var(--ra-on-primary)}
.ra-typing{align-self:flex-start;display:flex;gap:4px;padding:12px 14px;background:#fff;border:1px solid #e3e5e8;border-radius:14px}
.ra-typing i{width:7px;height:7px;border-radius:50%;background:#8a949c;animation:ra-blink 1.2s infinite}
.ra-typing i:nth-child(2){animation-delay:.2s}
.ra-typing i:nth-child(3){animation-delay:.4s}
@keyframes ra-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}
.ra-error{align-self:stretch;padding:10px 12px;border-radius:12px;background:#fff4f2;border:1px solid #f3c4bb;color:#7a2417}
.ra-error button{display:block;margin-top:6px;padding:5px 12px;border:1px solid currentColor;border-radius:8px;background:#fff}
.ra-form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}
.ra-form textarea{flex:1;resize:none;min-height:42px;max-height:120px;padding:10px 12px;border:1px solid #c9ced4;border-radius:12px;background:#fff}
.ra-send{border:0;border-radius:12px;padding:0 16px;background:var(--ra-primary);color:var(--ra-on-primary);font-weight:600}
@media (max-width:480px){
.ra .ra-panel{inset:0;width:100%;height:100%;border-radius:0}
.ra-open .ra-launcher{display:none}
.ra-msg{max-width:92%}
}
@media (prefers-reduced-motion:reduce){.ra-typing i{animation:none}}
`;

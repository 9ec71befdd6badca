// The page's style and its one small script, inlined into every page (the agent and the --html file
// need nothing else: no CDN, no second request).
export const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#fff;--panel:#f5f7fa;--bad:#b42318;--ok:#067647;--inc:#fde7c7}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:.4rem 1.5rem;align-items:baseline;flex-wrap:wrap;padding:.6rem 1.2rem;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{font-size:1.15rem;margin:0}
header .meta{color:var(--muted)}
main{padding:0 1.2rem 2rem;max-width:1500px}
h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
a{color:#1849a9}
a:focus-visible,.ev:focus-visible,button:focus-visible{outline:3px solid #f79009;outline-offset:2px}
table{border-collapse:collapse}
th,td{padding:.2rem .55rem;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap}
thead th{font-weight:600;color:var(--muted);font-size:.85rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad th,tr.bad td{color:var(--bad)}
.two{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}
.state{padding:0 .4rem;border-radius:3px;background:#e6f4ea;color:var(--ok)}
.state:not(.st-ready){background:#fde8e6;color:var(--bad)}
.off{font-weight:600}
.empty{color:var(--muted)}
ul.incidents{list-style:none;padding:0;margin:0}
ul.incidents li{padding:.25rem .4rem;border-bottom:1px solid var(--line)}
ul.incidents li.selected{background:var(--inc)}
.kind{display:inline-block;min-width:9.5rem;font-weight:600}
.open{color:var(--bad);font-weight:600}
.timeline{display:block;max-width:1400px;border:1px solid var(--line);border-radius:4px;background:#fff}
.timeline .span{fill:var(--inc);opacity:.55}
.timeline .tick{stroke:#eef0f4}
.timeline .axis,.timeline .track{fill:var(--muted);font-size:11px}
.timeline .lane{font-weight:600;font-size:13px;fill:var(--fg)}
.timeline .lane-rule{stroke:var(--line)}
.timeline .on-bar{fill:#1d2330;font-size:11px;pointer-events:none}
.ev rect{fill-opacity:.28}
.timeline .by-dot{font-size:11px;fill:#1d2330;pointer-events:none}
.ev{cursor:pointer;outline:none}
.ev circle{stroke:#fff;stroke-width:1.5}
.ev:hover circle,.ev:focus circle,.ev.active circle{r:7;stroke:#1d2330}
.ev:focus rect,.ev.active rect,.ev:hover rect{stroke:#1d2330;stroke-width:2}
.t-session{fill:#d92d20}.t-state{fill:#7a271a}.t-daemon{fill:#6941c6}.t-raft{fill:#c11574}
.t-gossip{fill:#98a2b3}.t-tasks{fill:#1570ef}.t-reconnect{fill:#dc6803}.t-alert{fill:#039855}.t-rebalance{fill:#0e9384}.t-other{fill:#667085}
.evidence-line{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.45rem .7rem;margin:.4rem 0;min-height:2.3rem;max-width:1400px;white-space:pre-wrap;word-break:break-word}
.hint{color:var(--muted);font-size:.85rem}
details summary{cursor:pointer;color:var(--muted)}
table.evidence td{white-space:normal;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.grid-wrap{overflow-x:auto;max-width:100%}
table.grid th,table.grid td{padding:.15rem .3rem;text-align:right;font-variant-numeric:tabular-nums;font-size:12px;border:1px solid #eef0f4}
table.grid tbody th{text-align:left;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table.grid tbody th.ours{color:#1849a9}
table.grid thead th.inc,table.grid td.inc{box-shadow:inset 0 2px 0 #f79009,inset 0 -2px 0 #f79009}
table.grid thead th.inc{background:var(--inc);color:var(--fg)}
.flag{color:#f79009;font-size:9px;margin-left:1px}
td.s1{background:#e8f0fe}td.s2{background:#c6dafc}td.s3{background:#8ab4f8}td.s4{background:#4285f4;color:#fff}td.s5{background:#174ea6;color:#fff}
td.total{font-weight:600}
.status-line{color:var(--muted)}
.status-line.stale{color:var(--bad)}
`;

/** Evidence under the pointer (or the focused mark), ← → between marks, and the page's own refresh. */
export const SCRIPT = `
(function(){
  function show(el){
    var panel=el&&document.getElementById('evidence-'+el.closest('svg').getAttribute('data-incident'));
    if(!panel)return;
    document.querySelectorAll('.ev.active').forEach(function(e){e.classList.remove('active')});
    el.classList.add('active');
    panel.textContent=el.getAttribute('data-detail');
  }
  function find(t){return t&&t.closest?t.closest('.ev'):null}
  document.addEventListener('pointerover',function(e){var el=find(e.target);if(el)show(el)});
  document.addEventListener('focusin',function(e){var el=find(e.target);if(el)show(el)});
  document.addEventListener('keydown',function(e){
    var el=find(document.activeElement);if(!el)return;
    var svg=el.closest('svg');
    var all=Array.prototype.slice.call(svg.querySelectorAll('.ev')).sort(function(a,b){return a.getAttribute('data-i')-b.getAttribute('data-i')});
    var i=all.indexOf(el),next=null;
    if(e.key==='ArrowRight')next=all[i+1];else if(e.key==='ArrowLeft')next=all[i-1];
    else if(e.key==='Home')next=all[0];else if(e.key==='End')next=all[all.length-1];
    if(next){e.preventDefault();next.focus()}
  });
  var every=Number(document.body.getAttribute('data-refresh'))||0;
  if(!every)return;
  var line=document.getElementById('updated');
  function refresh(){
    if(document.hidden)return;
    fetch(location.href,{headers:{accept:'text/html'}}).then(function(r){
      if(!r.ok)throw new Error('HTTP '+r.status);return r.text();
    }).then(function(text){
      var doc=new DOMParser().parseFromString(text,'text/html');
      var fresh=doc.getElementById('live'),live=document.getElementById('live');
      if(!fresh||!live)return;
      var focused=find(document.activeElement),at=focused&&focused.getAttribute('data-i');
      live.replaceWith(fresh);
      if(at!==null&&at!==undefined){var again=document.querySelector('.ev[data-i="'+at+'"]');if(again){again.focus();show(again)}}
      if(line){line.textContent='updated '+new Date().toISOString().slice(11,19)+' UTC';line.classList.remove('stale')}
    }).catch(function(err){
      if(line){line.textContent='not updated: '+err.message+' (retrying)';line.classList.add('stale')}
    });
  }
  setInterval(refresh,every*1000);
})();
`;

const data = JSON.parse(document.getElementById('evidence-data').textContent);
function clearMarks() { document.querySelectorAll('.evidence').forEach(e => e.classList.remove('evidence')); }
function show(targets) {
  clearMarks();
  const found = targets.map(id => document.getElementById(id)).filter(Boolean);
  found.forEach(e => e.classList.add('evidence'));
  if (found.length) found[0].scrollIntoView({block: 'center'});
  return found.length;
}
document.querySelectorAll('[data-evidence]').forEach(item => {
  item.addEventListener('click', () => show(data[item.dataset.evidence] || []));
});

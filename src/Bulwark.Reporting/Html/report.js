// Filters, search and grouping by rule for Bulwark's HTML report. It reads the page (no data is embedded in
// this script) and only shows, hides and moves what the page already has; without it every finding shows.
// The filters live in the address too (#filter?severity=critical,high&rule=BW1001&kind=kubernetes&q=text&group=rule),
// so a filtered view can be linked to.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var byFile = document.getElementById('by-file');
  if (!form || !byFile) {
    return;
  }

  var byRule = document.getElementById('by-rule');
  var ruleGroups = document.getElementById('rule-groups');
  var shown = document.getElementById('shown');
  var findings = [];
  var homes = [];
  var paths = [];
  var files = byFile.querySelectorAll('.file');
  for (var f = 0; f < files.length; f++) {
    var path = files[f].querySelector('.path').textContent;
    var inFile = files[f].querySelectorAll('[data-finding]');
    for (var i = 0; i < inFile.length; i++) {
      findings.push(inFile[i]);
      homes.push(inFile[i].parentNode);
      paths.push(path);
    }
  }

  var texts = null;
  var grouping = 'file';

  function textOf(finding, index) {
    var text = paths[index];
    for (var child = finding.firstElementChild; child; child = child.nextElementSibling) {
      if (!child.classList.contains('ctx')) {
        text += '\n' + child.textContent;
      }
    }

    return text.toLowerCase();
  }

  function count(n) {
    shown.value = n === findings.length
      ? findings.length + (findings.length === 1 ? ' finding' : ' findings')
      : n + ' of ' + findings.length + ' findings shown';
  }

  function apply() {
    var severities = {};
    var boxes = form.querySelectorAll('input[name=severity]');
    for (var b = 0; b < boxes.length; b++) {
      severities[boxes[b].value] = boxes[b].checked;
    }

    var rule = form.elements.rule.value;
    var kind = form.elements.kind.value;
    var query = form.elements.q.value.trim().toLowerCase();
    if (query && !texts) {
      texts = findings.map(textOf);
    }

    // The containers (location, file, rule) of the findings shown, collected on the way: the others are hidden.
    var visible = new Set();
    var n = 0;
    for (var i = 0; i < findings.length; i++) {
      var data = findings[i].dataset;
      var show = severities[data.severity] === true && (!rule || data.rule === rule) && (!kind || data.kind === kind)
        && (!query || texts[i].indexOf(query) >= 0);
      if (findings[i].hidden === show) {
        findings[i].hidden = !show;
      }

      if (show) {
        n++;
        for (var up = findings[i].parentNode; up !== byFile && up !== byRule; up = up.parentNode) {
          visible.add(up);
        }
      }
    }

    var containers = document.querySelectorAll('#by-file .loc, #by-file .group, #by-rule .group');
    for (var c = 0; c < containers.length; c++) {
      var any = visible.has(containers[c]);
      if (containers[c].hidden === any) {
        containers[c].hidden = !any;
      }
    }

    count(n);
  }

  // By rule, a finding takes its file and a copy of its source lines along; back by file, it returns home.
  function regroup(to) {
    if (to === grouping) {
      return;
    }

    grouping = to;
    if (to === 'rule') {
      if (!byRule.firstElementChild) {
        byRule.appendChild(ruleGroups.content.cloneNode(true));
      }

      var sections = {};
      var groups = byRule.querySelectorAll('.group');
      for (var g = 0; g < groups.length; g++) {
        sections[groups[g].getAttribute('data-rule')] = groups[g];
      }

      for (var i = 0; i < findings.length; i++) {
        var finding = findings[i];
        var context = document.createElement('div');
        context.className = 'ctx';
        var where = document.createElement('div');
        where.className = 'where';
        where.textContent = paths[i];
        context.appendChild(where);
        var source = homes[i].firstElementChild;
        if (source && source.tagName === 'PRE') {
          context.appendChild(source.cloneNode(true));
        }

        finding.insertBefore(context, finding.firstElementChild.nextSibling);
        sections[finding.getAttribute('data-rule')].appendChild(finding);
      }

      byFile.hidden = true;
      byRule.hidden = false;
    } else {
      for (var k = 0; k < findings.length; k++) {
        var moved = findings[k].querySelector('.ctx');
        if (moved) {
          moved.parentNode.removeChild(moved);
        }

        homes[k].appendChild(findings[k]);
      }

      byRule.hidden = true;
      byFile.hidden = false;
    }

    apply();
  }

  function severityBoxes() {
    return Array.prototype.slice.call(form.querySelectorAll('input[name=severity]'));
  }

  function fromAddress() {
    if (location.hash.indexOf('#filter?') !== 0) {
      return false;
    }

    var params = new URLSearchParams(location.hash.slice('#filter?'.length));
    if (params.has('severity')) {
      var wanted = params.get('severity').split(',');
      severityBoxes().forEach(function (box) {
        box.checked = wanted.indexOf(box.value) >= 0;
      });
    }

    form.elements.rule.value = params.get('rule') || '';
    form.elements.kind.value = params.get('kind') || '';
    form.elements.q.value = params.get('q') || '';
    var group = params.get('group') === 'rule' ? 'rule' : 'file';
    form.querySelector('input[name=group][value=' + group + ']').checked = true;
    if (group !== grouping) {
      regroup(group);
    } else {
      apply();
    }

    return true;
  }

  function toAddress() {
    var params = new URLSearchParams();
    var boxes = severityBoxes();
    var checked = boxes.filter(function (box) {
      return box.checked;
    });
    if (checked.length !== boxes.length) {
      params.set('severity', checked.map(function (box) {
        return box.value;
      }).join(','));
    }

    ['rule', 'kind', 'q'].forEach(function (name) {
      if (form.elements[name].value) {
        params.set(name, form.elements[name].value);
      }
    });
    if (grouping !== 'file') {
      params.set('group', grouping);
    }

    try {
      history.replaceState(null, '', params.toString() ? '#filter?' + params.toString() : location.pathname + location.search);
    } catch (ignored) {
      // Some browsers refuse to change the address of a local file; the filters work all the same.
    }
  }

  var timer = 0;
  form.addEventListener('input', function (event) {
    if (event.target.name === 'group') {
      regroup(event.target.value);
      toAddress();
      return;
    }

    clearTimeout(timer);
    timer = setTimeout(function () {
      apply();
      toAddress();
    }, event.target.name === 'q' ? 200 : 0);
  });
  window.addEventListener('hashchange', fromAddress);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });

  // A rule's count in the summary filters the findings to that rule.
  var counts = document.querySelectorAll('#rules tr[data-rule] td.num');
  for (var r = 0; r < counts.length; r++) {
    counts[r].title = 'Show only these findings';
    counts[r].addEventListener('click', function (event) {
      form.elements.rule.value = event.currentTarget.parentNode.getAttribute('data-rule');
      apply();
      toAddress();
      document.getElementById('findings').scrollIntoView();
    });
  }

  form.hidden = false;
  if (!fromAddress()) {
    count(findings.length);
  }
})();

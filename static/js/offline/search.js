/* Procedure search without network, for the offline help record.
 *
 *   XKOfflineSearch.load(index)          the JSON of GET /search/offline.json (object or text)
 *   XKOfflineSearch.search(query, limit) -> [{code, name, url, score, online, level}], best first
 *   XKOfflineSearch.get(code)            -> {code, name, url, online, level} or null
 *   XKOfflineSearch.version              the loaded index's version (its ETag without quotes)
 *
 * It ranks the way the server does (xungkich/search/matching.py), on what the index ships:
 * words are made NFC, lower case, and get two keys, "toned" (diacritics kept, the tone as a
 * digit, so hòa/hoà meet) and "folded" (no diacritics, đ→d); kí/ký, lí/lý, qui/quy are one.
 * Unknown words of 4+ letters are corrected to the vocabulary words one edit away; everyday
 * names ("sổ đỏ", "CCCD") add an alternative with the official term; each word weighs by how
 * rare it is (document counts from the server) and a procedure scores the share of the query's
 * weight it matches, in its name (most), everyday names, or a few words of its text.
 * One thing the server does not: the last word, while it is still being typed (no space after
 * it) and is no known word, stands for the known words it begins ("khai si" finds "sinh").
 * Search is in memory: the index is kept by the page, never fetched from here. */
(function () {
  "use strict";

  var TONE_MARKS = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
  var INVISIBLE = /\p{Cf}/gu; // zero-width spaces, joiners, soft hyphens: they split words unseen
  var SPACES = /\s+/g;
  var WORD = /[\p{L}\p{N}_]+(?:[.\-][\p{L}\p{N}_]+)*/gu; // a procedure code keeps its dots
  var MARKS = /\p{Mn}/gu;
  var I_Y = /^(h|k|l|m|s|t|qu)y$/;
  var PREFIX = 0.9; // a completed last word counts a little less than a typed one
  var MAX_COMPLETIONS = 40; // the most common words a prefix stands for
  var MAX_KEYS = 16; // word sequences tried per everyday phrase (corrections multiply them)

  var state = null;

  // --- Words and keys (xungkich/lib/vietnamese.py) ----------------------------------------------

  function clean(text) {
    return String(text == null ? "" : text)
      .replace(INVISIBLE, "")
      .normalize("NFC")
      .replace(SPACES, " ")
      .trim();
  }

  function searchWords(text) {
    var words = [];
    (clean(text).toLowerCase().match(WORD) || []).forEach(function (match) {
      match.split("_").forEach(function (word) {
        if (word) words.push(word);
      });
    });
    return words;
  }

  function tonedKey(word) {
    var tone = "";
    var kept = "";
    Array.from(word.normalize("NFD")).forEach(function (ch) {
      if (TONE_MARKS[ch]) tone = TONE_MARKS[ch];
      else kept += ch;
    });
    return kept.normalize("NFC").replace(I_Y, "$1i") + tone;
  }

  function foldedKey(word) {
    return word
      .replace(/[đĐ]/g, "d")
      .normalize("NFD")
      .replace(MARKS, "")
      .normalize("NFC")
      .toLowerCase()
      .replace(I_Y, "$1i");
  }

  function keyPairs(text) {
    return searchWords(text).map(function (word) {
      return [tonedKey(word), foldedKey(word)];
    });
  }

  // --- Loading ----------------------------------------------------------------------------------

  function load(indexJson) {
    var index = typeof indexJson === "string" ? JSON.parse(indexJson) : indexJson;
    if (!index || index.format !== 1) throw new Error("XKOfflineSearch: unknown index format");
    var at = {};
    index.fields.forEach(function (name, position) {
      at[name] = position;
    });
    var tuning = index.tuning;
    var next = {
      tuning: tuning,
      functionWords: new Set(tuning.function_words),
      df: index.df,
      total: index.total,
      docs: [],
      byCode: new Map(),
      postings: new Map(), // folded word -> positions of the documents holding it
      vocabulary: new Set(), // folded words of the shipped procedures: each in ≥ 1 document
      everyday: new Set(), // words of the everyday names (known to the corrector)
      synonyms: new Map(), // everyday folded words joined by spaces -> {toned, folded}
      longest: 0,
      sortedWords: [], // every known word, for completing a prefix
    };

    index.procedures.forEach(function (row, position) {
      var doc = {
        code: row[at.code],
        name: row[at.name],
        url: row[at.url],
        online: row[at.online],
        level: row[at.level],
        title: keyPairs(row[at.name]),
        aliases: row[at.aliases].map(keyPairs).filter(function (alias) {
          return alias.length > 0;
        }),
        body: new Set(row[at.keys].split(" ").filter(Boolean)),
      };
      doc.codeKey = foldedKey(doc.code.toLowerCase());
      var words = new Set([doc.codeKey]);
      doc.title.forEach(function (pair) { words.add(pair[1]); });
      doc.aliases.forEach(function (alias) {
        alias.forEach(function (pair) { words.add(pair[1]); });
      });
      doc.body.forEach(function (word) { words.add(word); });
      words.forEach(function (word) {
        next.vocabulary.add(word);
        if (!next.postings.has(word)) next.postings.set(word, []);
        next.postings.get(word).push(position);
      });
      next.docs.push(doc);
      next.byCode.set(doc.code, doc);
    });

    index.synonyms.forEach(function (pair) {
      var key = keyPairs(pair[0]).map(function (p) { return p[1]; });
      var term = keyPairs(pair[1]);
      if (!key.length || !term.length) return;
      key.forEach(function (word) { next.everyday.add(word); });
      var joined = key.join(" ");
      if (next.synonyms.has(joined)) return; // the first pair wins, as on the server
      next.synonyms.set(joined, {
        toned: term.map(function (p) { return p[0]; }),
        folded: term.map(function (p) { return p[1]; }),
      });
      next.longest = Math.max(next.longest, key.length);
    });

    var known = new Set(next.vocabulary);
    Object.keys(next.df).forEach(function (word) { known.add(word); });
    next.everyday.forEach(function (word) { known.add(word); });
    next.known = known;
    next.sortedWords = Array.from(known).sort();
    state = next;
    api.version = index.version;
    return api;
  }

  // --- Word weights -----------------------------------------------------------------------------

  function documentFrequency(word) {
    if (Object.prototype.hasOwnProperty.call(state.df, word)) return state.df[word];
    return state.vocabulary.has(word) ? 1 : 0; // not in the server's index: weighs nothing
  }

  function idf(word) {
    var n = documentFrequency(word);
    if (!n) return 0;
    var value = Math.log(1 + (state.total + 1) / (n + 0.5));
    return state.functionWords.has(word) ? value * state.tuning.function_word_weight : value;
  }

  function slotWeight(slot, weights) {
    var best = 0;
    slot.folded.forEach(function (key) {
      best = Math.max(best, weights.get(key) || 0);
    });
    return best;
  }

  // --- Query analysis (matching.analyse) --------------------------------------------------------

  function edits1(word) {
    var alphabet = state.tuning.alphabet;
    var found = new Set();
    for (var i = 0; i <= word.length; i++) {
      var a = word.slice(0, i);
      var b = word.slice(i);
      if (b) found.add(a + b.slice(1));
      if (b.length > 1) found.add(a + b[1] + b[0] + b.slice(2));
      for (var c = 0; c < alphabet.length; c++) {
        if (b) found.add(a + alphabet[c] + b.slice(1));
        found.add(a + alphabet[c] + b);
      }
    }
    found.delete(word);
    return found;
  }

  function needsCorrection(folded) {
    return (
      folded.length >= state.tuning.min_typo_length &&
      !/^\d+$/.test(folded.replace(/\./g, "")) &&
      !state.known.has(folded)
    );
  }

  function corrections(folded) {
    return Array.from(edits1(folded)).filter(function (word) {
      return state.known.has(word);
    });
  }

  function completions(prefix) {
    // Binary search for the first word not before the prefix, then walk while it still matches.
    var words = state.sortedWords;
    var low = 0;
    var high = words.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (words[middle] < prefix) low = middle + 1;
      else high = middle;
    }
    var found = [];
    for (var i = low; i < words.length && words[i].indexOf(prefix) === 0; i++) {
      if (words[i] !== prefix) found.push(words[i]);
    }
    found.sort(function (x, y) {
      return documentFrequency(y) - documentFrequency(x) || (x < y ? -1 : 1);
    });
    return found.slice(0, MAX_COMPLETIONS);
  }

  function sequences(slots) {
    var keys = [[]];
    slots.forEach(function (slot) {
      var next = [];
      var words = Array.from(slot.folded).sort();
      keys.forEach(function (key) {
        words.forEach(function (word) { next.push(key.concat([word])); });
      });
      keys = next.slice(0, MAX_KEYS);
    });
    return keys;
  }

  function synonymAlternatives(slots) {
    // One alternative per everyday phrase in the query (the longest at each position wins).
    var found = [];
    var i = 0;
    while (i < slots.length) {
      var matched = 0;
      for (var length = Math.min(state.longest, slots.length - i); length > 0 && !matched; length--) {
        var part = slots.slice(i, i + length);
        var keys = sequences(part);
        for (var k = 0; k < keys.length; k++) {
          var term = state.synonyms.get(keys[k].join(" "));
          if (!term) continue;
          var typo = Math.min.apply(null, part.map(function (slot) { return slot.factor; }));
          var replacement = term.folded.map(function (folded, n) {
            return { toned: term.toned[n], folded: new Set([folded]), factor: typo };
          });
          found.push({
            slots: slots.slice(0, i).concat(replacement, slots.slice(i + length)),
            factor: state.tuning.synonym,
          });
          matched = length;
          break;
        }
      }
      i += Math.max(matched, 1);
    }
    return found;
  }

  function analyse(text) {
    var tuning = state.tuning;
    text = String(text == null ? "" : text).slice(0, tuning.max_query_length);
    var words = searchWords(text).slice(0, tuning.max_words);
    // The last word is still being typed unless a space or a sign follows it.
    var typing = /[\p{L}\p{N}]$/u.test(text);
    var slots = words.map(function (word, position) {
      var toned = tonedKey(word);
      var folded = foldedKey(word);
      if (typing && position === words.length - 1 && !state.known.has(folded)) {
        var completed = completions(folded);
        if (completed.length) return { toned: null, folded: new Set(completed), factor: PREFIX };
      }
      if (needsCorrection(folded)) {
        var fixed = corrections(folded);
        if (fixed.length) return { toned: null, folded: new Set(fixed), factor: tuning.typo };
      }
      return { toned: toned, folded: new Set([folded]), factor: 1 };
    });
    if (!slots.length) return [];
    return [{ slots: slots, factor: 1 }].concat(synonymAlternatives(slots));
  }

  // --- Ranking (matching.score) -----------------------------------------------------------------

  function matchIn(slot, words) {
    // How well the slot matches one of the words: 1 with its diacritics as typed, less without.
    var best = 0;
    var where = -1;
    for (var position = 0; position < words.length; position++) {
      if (!slot.folded.has(words[position][1])) continue;
      var quality = slot.toned === null || slot.toned === words[position][0] ? 1 : state.tuning.folded_only;
      if (slot.toned === null) quality = state.tuning.folded_only; // corrected: never "as typed"
      if (quality > best) {
        best = quality;
        where = position;
        if (best === 1) break;
      }
    }
    return [best, where];
  }

  function inOrder(positions) {
    if (positions.length < 2) return positions.length ? 1 : 0;
    var steps = 0;
    for (var i = 1; i < positions.length; i++) if (positions[i] === positions[i - 1] + 1) steps++;
    return steps / (positions.length - 1);
  }

  function pairs(slots, doc, weights) {
    // Share of neighbouring query words found side by side in the name or an everyday name.
    var adjacent = new Set();
    [doc.title].concat(doc.aliases).forEach(function (sequence) {
      for (var i = 1; i < sequence.length; i++) adjacent.add(sequence[i - 1][1] + " " + sequence[i][1]);
    });
    var total = 0;
    var got = 0;
    for (var i = 1; i < slots.length; i++) {
      var left = slots[i - 1];
      var right = slots[i];
      var weight = slotWeight(left, weights) + slotWeight(right, weights);
      if (weight <= 0) continue;
      total += weight;
      var side = Array.from(left.folded).some(function (a) {
        return Array.from(right.folded).some(function (b) { return adjacent.has(a + " " + b); });
      });
      if (side) got += weight;
    }
    return total ? got / total : 0;
  }

  function scoreAlternative(alt, doc, weights) {
    var tuning = state.tuning;
    var total = 0;
    alt.slots.forEach(function (slot) { total += slotWeight(slot, weights); });
    if (total <= 0) return 0;
    var got = 0;
    var titlePositions = [];
    var aliasHits = new Map();
    alt.slots.forEach(function (slot) {
      var weight = slotWeight(slot, weights);
      if (weight <= 0) return;
      if (doc.codeKey && slot.folded.has(doc.codeKey)) {
        got += weight * 1.5; // the code itself
        return;
      }
      var title = matchIn(slot, doc.title);
      var value = tuning.title * title[0];
      if (title[1] >= 0) titlePositions.push(title[1]);
      doc.aliases.forEach(function (alias, index) {
        var quality = matchIn(slot, alias)[0];
        if (quality) {
          aliasHits.set(index, (aliasHits.get(index) || 0) + 1);
          value = Math.max(value, tuning.alias * quality);
        }
      });
      if (!value && Array.from(slot.folded).some(function (word) { return doc.body.has(word); })) {
        value = tuning.body * tuning.folded_only;
      }
      got += weight * value * slot.factor;
    });
    var coverage = got / total;
    if (coverage < tuning.min_coverage) return 0;
    // Prefer names the query covers well and in order, as the server does.
    var titleCover = new Set(titlePositions).size / Math.max(doc.title.length, 1);
    var wholeAlias = false;
    aliasHits.forEach(function (hits, index) {
      if (hits === doc.aliases[index].length) wholeAlias = true;
    });
    var shape =
      0.55 + 0.15 * titleCover + 0.05 * inOrder(titlePositions) + 0.05 * (wholeAlias ? 1 : 0) +
      0.2 * pairs(alt.slots, doc, weights);
    return Math.round(Math.min(coverage, 1.5) * shape * alt.factor * 1e4) / 1e4;
  }

  // --- Searching --------------------------------------------------------------------------------

  function search(query, limit) {
    if (!state) throw new Error("XKOfflineSearch: load an index first");
    limit = Math.max(1, Math.min(limit || 10, 50));
    var alternatives = analyse(query);
    if (!alternatives.length) return [];
    var weights = new Map();
    var candidates = new Set();
    alternatives.forEach(function (alt) {
      alt.slots.forEach(function (slot) {
        slot.folded.forEach(function (word) {
          var weight = idf(word);
          if (weight > 0) weights.set(word, weight);
          (state.postings.get(word) || []).forEach(function (position) { candidates.add(position); });
        });
      });
    });
    if (!weights.size) return [];
    var results = [];
    candidates.forEach(function (position) {
      var doc = state.docs[position];
      var best = 0;
      alternatives.forEach(function (alt) { best = Math.max(best, scoreAlternative(alt, doc, weights)); });
      if (best > 0) {
        results.push({
          code: doc.code, name: doc.name, url: doc.url, score: best, online: doc.online, level: doc.level,
        });
      }
    });
    results.sort(function (a, b) {
      return b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
    });
    return results.slice(0, limit);
  }

  function get(code) {
    var doc = state && state.byCode.get(code);
    return doc ? { code: doc.code, name: doc.name, url: doc.url, online: doc.online, level: doc.level } : null;
  }

  var api = { load: load, search: search, get: get, version: null };
  // For the tests that compare these keys with the server's.
  api.keys = function (text) { return keyPairs(text); };
  window.XKOfflineSearch = api;
})();

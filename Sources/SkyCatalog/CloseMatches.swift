/// Python's `difflib.get_close_matches` (SequenceMatcher ratio without junk heuristics, which
/// only apply to sequences of 200+ elements), used for "did you mean" suggestions.
package enum CloseMatches {
    /// Up to `count` of `candidates` whose similarity to `word` is at least `cutoff`, best first.
    package static func find(
        _ word: String, in candidates: [String], count: Int = 5, cutoff: Double = 0.6
    ) -> [String] {
        let target = Array(word.unicodeScalars)
        var scored: [(Double, String)] = []
        for candidate in candidates {
            let score = ratio(Array(candidate.unicodeScalars), target)
            if score >= cutoff { scored.append((score, candidate)) }
        }
        // heapq.nlargest on (score, string) tuples: higher score first, then larger string.
        scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 > $1.1 }
        return scored.prefix(count).map(\.1)
    }

    /// `SequenceMatcher(None, a, b).ratio()`.
    package static func ratio(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let total = a.count + b.count
        guard total > 0 else { return 1.0 }
        return 2.0 * Double(matches(a, 0, a.count, b, 0, b.count)) / Double(total)
    }

    private static func matches(
        _ a: [Unicode.Scalar], _ alo: Int, _ ahi: Int,
        _ b: [Unicode.Scalar], _ blo: Int, _ bhi: Int
    ) -> Int {
        guard alo < ahi, blo < bhi else { return 0 }
        // Longest common block: earliest in a, then earliest in b.
        var bestI = alo
        var bestJ = blo
        var bestSize = 0
        var previous = [Int](repeating: 0, count: bhi - blo + 1)
        for i in alo..<ahi {
            var current = [Int](repeating: 0, count: bhi - blo + 1)
            for j in blo..<bhi where a[i] == b[j] {
                let size = previous[j - blo] + 1
                current[j - blo + 1] = size
                let start = i - size + 1
                let startJ = j - size + 1
                if size > bestSize
                    || (size == bestSize && (start < bestI || (start == bestI && startJ < bestJ)))
                {
                    bestSize = size
                    bestI = start
                    bestJ = startJ
                }
            }
            previous = current
        }
        guard bestSize > 0 else { return 0 }
        return bestSize + matches(a, alo, bestI, b, blo, bestJ)
            + matches(a, bestI + bestSize, ahi, b, bestJ + bestSize, bhi)
    }
}

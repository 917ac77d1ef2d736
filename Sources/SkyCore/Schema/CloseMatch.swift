/// `difflib.get_close_matches(word, possibilities, n=1, cutoff=0.6)` for "did you mean" hints.
enum CloseMatch {
    static func best(_ word: String, among candidates: [String], cutoff: Double = 0.6) -> String? {
        var best: (score: Double, name: String)?
        for candidate in candidates {
            let score = ratio(Array(word), Array(candidate))
            if score >= cutoff, score > (best?.score ?? -1) {
                best = (score, candidate)
            }
        }
        return best?.name
    }

    /// `SequenceMatcher(None, a, b).ratio()`.
    static func ratio(_ a: [Character], _ b: [Character]) -> Double {
        let total = a.count + b.count
        guard total > 0 else { return 1 }
        return 2.0 * Double(matches(a[...], b[...])) / Double(total)
    }

    private static func matches(_ a: ArraySlice<Character>, _ b: ArraySlice<Character>) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var bestLength = 0
        var bestA = a.startIndex
        var bestB = b.startIndex
        var previous = [Int](repeating: 0, count: b.count + 1)
        for i in a.indices {
            var current = [Int](repeating: 0, count: b.count + 1)
            for (jOffset, j) in b.indices.enumerated() where a[i] == b[j] {
                current[jOffset + 1] = previous[jOffset] + 1
                if current[jOffset + 1] > bestLength {
                    bestLength = current[jOffset + 1]
                    bestA = i - bestLength + 1
                    bestB = j - bestLength + 1
                }
            }
            previous = current
        }
        guard bestLength > 0 else { return 0 }
        return bestLength + matches(a[a.startIndex..<bestA], b[b.startIndex..<bestB])
            + matches(a[(bestA + bestLength)...], b[(bestB + bestLength)...])
    }
}

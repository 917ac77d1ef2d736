/// `difflib.get_close_matches(word, possibilities, n=1, cutoff=0.6)` for "did you mean" hints.
enum CloseMatch {
    static func best(_ word: String, among candidates: [String], cutoff: Double = 0.6) -> String? {
        let a = word.unicodeScalars.map(\.value)
        var counts: [UInt32: Int] = [:]
        for c in a { counts[c, default: 0] += 1 }
        var best: (score: Double, name: String)?
        for candidate in candidates {
            let b = candidate.unicodeScalars.map(\.value)
            let total = Double(a.count + b.count)
            guard total > 0 else { continue }
            // real_quick_ratio and quick_ratio: cheap upper bounds, as difflib checks them first.
            if 2.0 * Double(min(a.count, b.count)) / total < cutoff { continue }
            var available = counts
            var common = 0
            for c in b {
                if let n = available[c], n > 0 {
                    available[c] = n - 1
                    common += 1
                }
            }
            if 2.0 * Double(common) / total < cutoff { continue }
            let score = 2.0 * Double(matches(a, 0, a.count, b, 0, b.count)) / total
            if score >= cutoff, score > (best?.score ?? -1) {
                best = (score, candidate)
            }
        }
        return best?.name
    }

    /// `SequenceMatcher(None, a, b).ratio()`.
    static func ratio(_ a: String, _ b: String) -> Double {
        let x = a.unicodeScalars.map(\.value)
        let y = b.unicodeScalars.map(\.value)
        guard x.count + y.count > 0 else { return 1 }
        return 2.0 * Double(matches(x, 0, x.count, y, 0, y.count)) / Double(x.count + y.count)
    }

    /// Total size of the matching blocks: longest common substring, then recurse on both sides.
    private static func matches(
        _ a: [UInt32], _ alo: Int, _ ahi: Int, _ b: [UInt32], _ blo: Int, _ bhi: Int
    ) -> Int {
        guard alo < ahi, blo < bhi else { return 0 }
        let width = bhi - blo + 1
        var previous = [Int](repeating: 0, count: width)
        var current = [Int](repeating: 0, count: width)
        var bestLength = 0
        var bestA = alo
        var bestB = blo
        for i in alo..<ahi {
            for j in blo..<bhi {
                let k = j - blo + 1
                if a[i] == b[j] {
                    let length = previous[k - 1] + 1
                    current[k] = length
                    if length > bestLength {
                        bestLength = length
                        bestA = i - length + 1
                        bestB = j - length + 1
                    }
                } else {
                    current[k] = 0
                }
            }
            swap(&previous, &current)
        }
        guard bestLength > 0 else { return 0 }
        return bestLength + matches(a, alo, bestA, b, blo, bestB)
            + matches(a, bestA + bestLength, ahi, b, bestB + bestLength, bhi)
    }
}

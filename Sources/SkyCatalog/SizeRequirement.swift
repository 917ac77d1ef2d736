/// A vCPU or memory requirement as SkyPilot's catalog functions take it: `N`, `N+`, or (memory
/// only, internal) `Nx` = at least N GB per vCPU.
package enum SizeRequirement: Sendable, Hashable, CustomStringConvertible {
    case exactly(Double)
    case atLeast(Double)
    case perCPU(Double)

    package var value: Double {
        switch self {
        case .exactly(let v), .atLeast(let v), .perCPU(let v): return v
        }
    }

    /// Whether an offered size meets the requirement (`cpus` is needed for `perCPU`).
    package func admits(_ offered: Double?, cpus: Double? = nil) -> Bool {
        guard let offered else { return false }
        switch self {
        case .exactly(let v): return offered == v
        case .atLeast(let v): return offered >= v
        case .perCPU(let ratio):
            guard let cpus else { return false }
            return offered >= cpus * ratio
        }
    }

    package var description: String {
        let v = value == value.rounded() ? String(Int(value)) : String(value)
        switch self {
        case .exactly: return v
        case .atLeast: return v + "+"
        case .perCPU: return v + "x"
        }
    }
}

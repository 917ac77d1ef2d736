/// Errors of the catalog layer; each description is a sentence a user can act on.
package enum CatalogError: Error, CustomStringConvertible, Equatable {
    case missingFile(String)
    case unreadable(path: String, reason: String)
    case badFormat(path: String, reason: String)
    /// An accelerator name matches several canonical names.
    case ambiguousAccelerator(String, candidates: [String])
    /// A memory form (`80GB+`, `nvidia:80GB:8`) that cannot be parsed.
    case badAcceleratorForm(String)
    /// `sky catalog update NAME` for a name without a catalog (Kubernetes, Slurm, typos).
    case notACatalogCloud(String, known: [String])

    package var description: String {
        switch self {
        case .missingFile(let name):
            return "Catalog file \(name) is missing from this Sky installation; reinstall Sky "
                + "or copy the file into ~/.sky/catalogs/v8/\(name)."
        case .unreadable(let path, let reason):
            return "Cannot read catalog \(path): \(reason). Delete the file to fall back to the "
                + "bundled catalog."
        case .badFormat(let path, let reason):
            return "Catalog \(path) is not in SkyPilot's v8 format (\(reason)). Delete the file "
                + "to fall back to the bundled catalog."
        case .ambiguousAccelerator(let name, let candidates):
            return "Accelerator name '\(name)' is ambiguous. Please choose one of "
                + "[\(candidates.map { "'\($0)'" }.joined(separator: ", "))]."
        case .badAcceleratorForm(let text):
            return "Invalid accelerator memory form '\(text)'. Use <memory>[+] such as "
                + "'80GB+', optionally with a manufacturer and a count: 'nvidia:80GB:8'."
        case .notACatalogCloud(let name, let known):
            return
                "'\(name)' has no price catalog; catalogs exist for \(known.joined(separator: ", ")). "
                + "Kubernetes, Slurm and SSH pools are priced from their live inventory."
        }
    }
}

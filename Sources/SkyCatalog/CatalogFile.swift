import Foundation

/// One file of the v8 catalog layout (`gcp/vms.csv`, `common/accelerators.csv`, ...): where it
/// lives under `catalogs/v8/`, whether the upstream repository must have it, and the header
/// columns a downloaded copy must carry before it replaces the one in use.
package struct CatalogFile: Sendable, Hashable {
    /// Path under `catalogs/v8/`, e.g. `aws/vms.csv`.
    package let relativePath: String
    /// The cloud of a `vms.csv`; nil for the `common/` files.
    package let cloud: String?
    /// A missing upstream copy (HTTP 404) is reported but is not a failure.
    package let optional: Bool
    /// Columns the header must contain (any order; extra columns are fine).
    package let requiredColumns: [String]

    /// The `vms.csv` of `cloud`, with the columns of reference section 8.
    package static func vms(_ cloud: String) -> CatalogFile {
        let cloud = cloud.lowercased()
        let common = [
            "InstanceType", "AcceleratorName", "AcceleratorCount", "vCPUs", "MemoryGiB", "Price",
            "SpotPrice", "Region",
        ]
        let extra: [String] =
            switch cloud {
            case "aws": ["GpuInfo", "AvailabilityZone", "Arch"]
            case "gcp": ["GpuInfo", "AvailabilityZone"]
            case "azure": ["GpuInfo", "Generation"]
            case "lambda": ["GpuInfo"]
            default: []
            }
        return CatalogFile(
            relativePath: cloud + "/vms.csv", cloud: cloud, optional: false,
            requiredColumns: common + extra)
    }

    /// `common/accelerators.csv`: canonical accelerator names.
    package static let accelerators = CatalogFile(
        relativePath: "common/accelerators.csv", cloud: nil, optional: false,
        requiredColumns: ["AcceleratorName", "Clouds"])

    /// `common/metadata.csv`: device memories. SkyPilot's v8 tree may not publish it (the bundled
    /// copy comes from v7), so a 404 keeps the copy in use.
    package static let metadata = CatalogFile(
        relativePath: "common/metadata.csv", cloud: nil, optional: true,
        requiredColumns: ["GPU", "MemoryGB", "Manufacturer"])

    /// The files `sky catalog update` fetches for `clouds` (the common files always).
    package static func files(for clouds: [String]) -> [CatalogFile] {
        clouds.map { vms($0) } + [accelerators, metadata]
    }

    /// Checks a downloaded copy: the header has every required column and, for a `vms.csv`,
    /// the rows parse into a catalog with at least one row. Returns the number of data rows.
    package func validate(_ data: Data) throws(CatalogFileError) -> Int {
        let scanner = CSVScanner(data: data)
        var header: [String]?
        var rows = 0
        scanner.forEachRecord { record in
            if header == nil {
                header = (0..<record.count).map {
                    record.string($0).trimmingCharacters(in: .whitespaces)
                }
            } else {
                rows += 1
            }
        }
        guard let header, !header.isEmpty else { throw .empty(relativePath) }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            let shown = header.prefix(12).joined(separator: ",")
            throw .badHeader(relativePath, missing: missing, found: String(shown.prefix(160)))
        }
        guard rows > 0 else { throw .noRows(relativePath) }
        if cloud != nil {
            do {
                let table = try CatalogColumns.parse(csv: data, path: relativePath)
                guard table.count > 0 else { throw CatalogFileError.noRows(relativePath) }
                return table.count
            } catch let error as CatalogFileError {
                throw error
            } catch {
                throw .unparsable(relativePath, "\(error)")
            }
        }
        return rows
    }
}

/// Why a downloaded catalog file was refused (the copy in use is kept).
package enum CatalogFileError: Error, CustomStringConvertible, Equatable {
    case empty(String)
    case badHeader(String, missing: [String], found: String)
    case noRows(String)
    case unparsable(String, String)

    package var description: String {
        switch self {
        case .empty(let file):
            "the downloaded \(file) is empty"
        case .badHeader(let file, let missing, let found):
            "the downloaded \(file) is not a v8 catalog: its header lacks "
                + missing.joined(separator: ", ") + " (header: \(found))"
        case .noRows(let file):
            "the downloaded \(file) has a header but no rows"
        case .unparsable(let file, let why):
            "the downloaded \(file) cannot be read: \(why)"
        }
    }
}

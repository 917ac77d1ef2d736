import CSlurm

/// The libslurm release the headers describe and the API the loaded library implements.
/// Struct layouts change with every major release (the API number, the SONAME, is bumped
/// each time), so a binding built against 22.05 headers only works with `libslurm.so.38`.
package struct SlurmVersion: Sendable, Hashable, CustomStringConvertible {
    /// `SLURM_VERSION_NUMBER` of the headers (0x160508 = 22.05.8).
    package var headerVersion: Int
    /// `slurm_api_version()` of the loaded library (`current << 16 | revision << 8 | age`).
    package var libraryAPI: Int

    /// libslurm API number (SONAME major) of each release: 20.02 35, 20.11 36, 21.08 37,
    /// 22.05 38, 23.02 39, 23.11 40, 24.05 41, 24.11 42, 25.05 43.
    package static let apiByRelease: [Int: Int] = [
        0x1402: 35, 0x140b: 36, 0x1508: 37, 0x1605: 38, 0x1702: 39, 0x170b: 40, 0x1805: 41,
        0x180b: 42, 0x1905: 43,
    ]

    /// The library file the headers need (`libslurm.so.38` for 22.05); nil for a release the
    /// table does not know (then `libslurm.so` is opened).
    package static var headerSONAME: String? {
        apiByRelease[Int(SLURM_VERSION_NUMBER) >> 8].map { "libslurm.so.\($0)" }
    }

    /// This build's headers and the library loaded now (after `sky_slurm_open`).
    package static var current: SlurmVersion {
        SlurmVersion(
            headerVersion: Int(SLURM_VERSION_NUMBER), libraryAPI: Int(sky_slurm_api_version()))
    }

    package var headerRelease: String {
        "\(headerVersion >> 16).\(String(format2: (headerVersion >> 8) & 0xff)).\(headerVersion & 0xff)"
    }

    /// The API number the headers need; nil for a release this table does not know.
    package var expectedAPI: Int? { Self.apiByRelease[headerVersion >> 8] }

    package var libraryAPINumber: Int { libraryAPI >> 16 }

    package var description: String {
        "headers \(headerRelease) (API \(expectedAPI.map(String.init) ?? "?")), "
            + "libslurm API \(libraryAPINumber)"
    }

    /// Throws `.versionMismatch` unless the loaded library implements the headers' API.
    package func verify() throws(SlurmError) {
        // A release newer than this table: the build itself already checked the layouts.
        guard let expectedAPI else { return }
        guard expectedAPI == libraryAPINumber else {
            throw .versionMismatch(
                headers: "\(headerRelease) (API \(expectedAPI))",
                library: "API \(libraryAPINumber)")
        }
    }
}

extension String {
    /// Two-digit zero-padded decimal (`05`).
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}

/// A local executable that Sky copies to a Slurm cluster (the skylet, the login node's
/// agent): where it is, and its sha256 (the engine caches hashes; hashing a static binary
/// costs about half a second). Both are closures so that building a backend does no I/O.
package struct SlurmBinarySource: Sendable {
    package let locate: @Sendable () -> String
    package let sha256: @Sendable (String) async throws -> String

    package init(
        locate: @escaping @Sendable () -> String,
        sha256: @escaping @Sendable (String) async throws -> String
    ) {
        self.locate = locate
        self.sha256 = sha256
    }
}

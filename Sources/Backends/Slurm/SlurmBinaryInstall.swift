import Foundation
import SkyProvision
import SkyRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Installs an executable into a directory that several clusters share (`~/.sky/bin`, which
/// every Slurm cluster home links to on the shared filesystem), so that concurrent installs
/// never expose a half-written file: each writer copies to its own temporary name in the same
/// directory and renames it over the target (rename is atomic), then writes the hash file
/// `<name>.sha256` the same way. The hash file, which the skylet installer reads to skip the
/// copy, therefore only ever sits beside a complete binary. Renaming over a running
/// executable is safe too (it keeps its old inode).
package enum SlurmBinaryInstall {
    /// Whether `directory/name` is executable and its hash file says `hash`.
    package static func isInstalled(directory: String, name: String, hash: String) -> Bool {
        let target = directory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: target),
            let text = try? String(contentsOfFile: target + ".sha256", encoding: .utf8)
        else { return false }
        return text.trimmingCharacters(in: .whitespacesAndNewlines) == hash
    }

    /// Copies `source` to `directory/name` unless it is installed with `hash`. Returns whether
    /// it copied.
    @discardableResult
    package static func install(source: String, hash: String, directory: String, name: String)
        throws(ProvisionError) -> Bool
    {
        if isInstalled(directory: directory, name: name, hash: hash) { return false }
        let fm = FileManager.default
        let target = directory + "/" + name
        let unique = "\(getpid()).\(UUID().uuidString.prefix(8))"
        let temporary = directory + "/.\(name).\(unique).tmp"
        let hashTemporary = directory + "/.\(name).sha256.\(unique).tmp"
        defer {
            try? fm.removeItem(atPath: temporary)
            try? fm.removeItem(atPath: hashTemporary)
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try fm.copyItem(atPath: source, toPath: temporary)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            try Self.move(temporary, target)
            try Data((hash + "\n").utf8).write(to: URL(fileURLWithPath: hashTemporary))
            try Self.move(hashTemporary, target + ".sha256")
        } catch {
            throw .internal("Cannot install \(source) as \(target): \(error)")
        }
        return true
    }

    private static func move(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [
                    NSFilePathErrorKey: to,
                    NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(errno)))",
                ])
        }
    }

    /// The same install on a login node over ssh (`runner` reaches its login shell, whose home
    /// shares `~/.sky/bin` with the cluster): one round trip when the hash file matches;
    /// otherwise rsync (which writes a temporary file and renames it into place) and a hash
    /// file written to a temporary name and renamed. `remoteDirectory` is relative to the
    /// login home.
    package static func installRemote(
        source: String, hash: String, remoteDirectory: String, name: String, runner: SSHRunner
    ) async throws(ProvisionError) {
        let target = remoteDirectory + "/" + name
        do {
            let check = try await runner.run(
                ["sh", "-c", "[ -x \"$1\" ] && cat \"$1.sha256\" 2>/dev/null", "sh", target],
                stdin: nil, environment: [:])
            if check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == hash { return }
            try await runner.upload(source, to: target, filters: [])
            let record = try await runner.run(
                [
                    "sh", "-c",
                    "printf '%s\\n' \"$2\" > \"$1.sha256.$$\" && mv -f \"$1.sha256.$$\" \"$1.sha256\"",
                    "sh", target, hash,
                ], stdin: nil, environment: [:])
            guard record.exitCode == 0 else {
                throw ProvisionError.internal(
                    "Cannot record the hash of \(target) on \(runner.nodeName): "
                        + record.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        } catch let error as ProvisionError {
            throw error
        } catch {
            throw .internal("Cannot install \(name) on the login node \(runner.nodeName): \(error)")
        }
    }
}

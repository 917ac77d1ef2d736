import Foundation
import Testing

/// libslurm is opened at run time: `sky` does not need it to start, and a Slurm command on a
/// machine without it names the library it could not open.
@Suite("libslurm opened at run time")
struct SlurmLibraryTests {
    @Test func skyDoesNotLinkLibslurm() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [SkyProcess.binary.path]
        let out = Pipe()
        ldd.standardOutput = out
        try ldd.run()
        let text = String(
            decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(text.contains("libc.so"), "ldd listed nothing: \(text)")
        #expect(!text.contains("libslurm"), "sky links libslurm: \(text)")
    }

    @Test func aMissingLibslurmIsNamedBySkyCheck() throws {
        let conf = try SkyProcess.temporaryFile(named: "slurm.conf", contents: "ClusterName=x\n")
        let missing = "/nonexistent-\(UUID().uuidString.prefix(8))/libslurm.so.38"
        let result = try SkyProcess.run(
            ["check", "slurm"], environment: ["SLURM_CONF": conf, "SKY_LIBSLURM": missing])
        let output = result.stdout + result.stderr
        #expect(output.contains("is not installed here"), "\(output)")
        #expect(output.contains(missing), "\(output)")
    }
}

import Foundation
import SkyRuntime
import Testing

@testable import SkySlurm

/// Runs `sky-slurm-leakcheck` (load nodes / partitions / jobs / one job / ctl conf, hostlist
/// expansion, submit + kill, each freed by the wrapper) under valgrind with 1 and with 15
/// cycles. libslurm and the Swift runtime keep some memory for the process's life, which is
/// the same whatever the cycle count; a wrapper that missed a free would lose more with
/// every cycle. valgrind 3.19 cannot read Swift 6.3's DWARF 5, so the binary is run from a
/// copy without debug info.
@Suite(
    "libslurm wrapper leaks", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: SlurmTestbed.enabled, SlurmTestbed.skipReason),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/valgrind"),
        "valgrind not installed"))
struct SlurmLeakTests {
    struct Summary: Equatable {
        var definitelyLost: Int
        var indirectlyLost: Int
        var invalidAccesses: Int
    }

    private func valgrind(_ binary: String, cycles: Int) async throws -> Summary {
        let result = try await ProcessExecution.run(
            ["/usr/bin/valgrind", "--leak-check=full", binary, String(cycles), "submit"],
            environment: SlurmTestbed.environment)
        #expect(result.stdout.contains("ok cycles=\(cycles)"), "\(result.stdout)\(result.stderr)")
        func bytes(_ label: String) -> Int {
            guard
                let line = result.stderr.split(separator: "\n").first(where: { $0.contains(label) }
                ),
                let number = line.split(separator: ":").last?.split(separator: " ").first
            else { return -1 }
            return Int(number.replacingOccurrences(of: ",", with: "")) ?? -1
        }
        let invalid = result.stderr.split(separator: "\n").filter {
            $0.contains("Invalid read") || $0.contains("Invalid write")
                || $0.contains("Invalid free")
                || $0.contains("Mismatched free")
        }.count
        return Summary(
            definitelyLost: bytes("definitely lost:"), indirectlyLost: bytes("indirectly lost:"),
            invalidAccesses: invalid)
    }

    @Test func loadFreeCyclesDoNotLeak() async throws {
        let directory = SlurmTestbed.productsDirectory
        let binary = directory + "/sky-slurm-leakcheck"
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build sky-slurm-leakcheck first")
        let stripped = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-slurm-leakcheck-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: stripped) }
        let copy = try await ProcessExecution.run(["objcopy", "--strip-debug", binary, stripped])
        try #require(copy.exitCode == 0, "\(copy.stderr)")

        let once = try await valgrind(stripped, cycles: 1)
        let many = try await valgrind(stripped, cycles: 15)
        #expect(once.invalidAccesses == 0 && many.invalidAccesses == 0)
        #expect(once.definitelyLost >= 0 && once.indirectlyLost >= 0)
        #expect(many.definitelyLost == once.definitelyLost)
        #expect(many.indirectlyLost == once.indirectlyLost)
        #expect(many.definitelyLost == 0)
    }
}

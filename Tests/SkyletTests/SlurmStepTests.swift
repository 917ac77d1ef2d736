import Testing

@testable import Skylet

struct SlurmStepTests {
    @Test(arguments: [
        "srun: error: node1: task 0: Exited with exit code 3",
        "srun: error: gpu-a100-07: task 12: Exited with exit code 137",
    ])
    func srunsExitReportsAreRecognised(_ line: String) {
        #expect(SlurmStep.isExitReport(line))
    }

    /// The task's own output and srun's other errors stay in the log.
    @Test(arguments: [
        "Exited with exit code 3",
        "srun: error: node1: task 0: Exited with exit code ",
        "srun: error: node1: task 0: Exited with exit code 3 (core dumped)",
        "srun: error: node1: task x: Exited with exit code 3",
        "srun: error: : task 0: Exited with exit code 3",
        "srun: error: Exited with exit code 3",
        "srun: error: Unable to create step for job 42: Invalid job id specified",
        "my program: srun: error: node1: task 0: Exited with exit code 3",
    ])
    func otherLinesAreNot(_ line: String) {
        #expect(!SlurmStep.isExitReport(line))
    }
}

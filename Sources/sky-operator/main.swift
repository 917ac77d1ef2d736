import Foundation

// Operator mode (SkyCluster / SkyJob / SkyService custom resources) comes with its own issue;
// until then this executable says so instead of pretending to reconcile anything.
FileHandle.standardError.write(Data("sky-operator: not available yet in this build\n".utf8))
exit(2)

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Watch streams (`?watch=1&resourceVersion=RV&allowWatchBookmarks=true`).
extension KubeClient {
    /// Events after `resourceVersion` until the server closes the stream (after
    /// `timeoutSeconds`) or the task is cancelled. A too old resourceVersion ends the stream
    /// with `KubeError.api` code 410: relist then.
    package func watch<T: KubeResource>(
        _ type: T.Type, namespace: String?, labelSelector: LabelSelector = LabelSelector(),
        resourceVersion: String?, timeoutSeconds: Int = 300
    ) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        var query: [(String, String)] = [
            ("watch", "1"), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if !labelSelector.isEmpty { query.append(("labelSelector", labelSelector.description)) }
        let path = T.resourceType.path(namespace: namespace)
        let fullQuery = query
        return AsyncThrowingStream { continuation in
            let task = _Concurrency.Task {
                do {
                    let request = try await self.makeRequest(.GET, path, query: fullQuery)
                    let response: HTTPClientResponse
                    do {
                        response = try await self.http.execute(
                            request, timeout: .seconds(Int64(timeoutSeconds + 30)))
                    } catch {
                        throw KubeError.transport("watch \(path): \(error)")
                    }
                    let code = Int(response.status.code)
                    guard (200..<300).contains(code) else {
                        let body = try await response.body.collect(upTo: 1 << 20)
                        throw KubeError.api(
                            KubeStatus.from(body: Data(buffer: body), httpCode: code))
                    }
                    var pending = Data()
                    do {
                        for try await chunk in response.body {
                            pending.append(Data(buffer: chunk))
                            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                                let line = pending[pending.startIndex..<newline]
                                pending = Data(pending[(newline + 1)...])
                                if line.isEmpty { continue }
                                continuation.yield(try WatchEvent<T>.decode(line: Data(line)))
                            }
                        }
                    } catch let error as KubeError {
                        throw error
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        if _Concurrency.Task.isCancelled { throw CancellationError() }
                        throw KubeError.transport("watch \(path) broke: \(error)")
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

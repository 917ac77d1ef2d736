import Foundation
import SkyCore
import SkyProvision
import Testing

@Suite struct PluginHostTests {
    @Test func handshakeWithTheInventoryPluginAndStderrIsForwarded() async throws {
        let fx = try PluginFixture(tag: "hs")
        defer { fx.cleanUp() }
        let inventory = fx.root + "/inv.json"
        try #"{"region":"lab","hosts":[{"ip":"10.0.0.1","user":"u"}]}"#.write(
            toFile: inventory, atomically: true, encoding: .utf8)
        let host = fx.host(
            "inventory", path: PluginFixture.inventoryPlugin,
            environment: ["SKY_INVENTORY_FILE": inventory])
        let plugin = try await PluginProvisioner.connect(host)
        #expect(plugin.handshake.protocolVersion == 1)
        #expect(plugin.capabilities == [.multiNode, .autostop])
        let check = await plugin.checkCredentials()
        #expect(check.enabled)
        #expect(check.reason?.contains("1 host(s)") == true)
        let config = ProvisionConfig(
            clusterName: "c", clusterNameOnCloud: "c-1", region: "lab",
            offering: Offering(
                cloud: "inventory", region: "lab", instanceType: "x", cpus: 1, memoryGB: 1, price: 0
            ),
            count: 1)
        let record = try await plugin.runInstances(config)
        #expect(record.headInstanceID == "10.0.0.1:22")
        #expect(
            await fx.lines.arrives { $0.hasPrefix("[plugin inventory]") && $0.contains("leased") })
        await #expect(throws: ProvisionError.self) {
            var two = config
            two.clusterNameOnCloud = "d-1"
            _ = try await plugin.runInstances(two)
        }
        try await plugin.terminateInstances(ClusterLocator(config), workerOnly: false)
        #expect(try await plugin.queryInstances(ClusterLocator(config)).isEmpty)
        await host.shutdown()
        #expect(await !host.isRunning)
    }

    @Test func theInventoryPluginWithoutItsFileSaysWhatToDo() async throws {
        let fx = try PluginFixture(tag: "nohint")
        defer { fx.cleanUp() }
        let missing = fx.root + "/none.json"
        let host = fx.host(
            "inventory", path: PluginFixture.inventoryPlugin,
            environment: ["SKY_INVENTORY_FILE": missing])
        let plugin = try await PluginProvisioner.connect(host)
        let check = await plugin.checkCredentials()
        #expect(!check.enabled)
        #expect(check.reason == "No inventory at \(missing). Create it or set SKY_INVENTORY_FILE.")
        #expect(check.hint?.contains("point SKY_INVENTORY_FILE at one") == true, "\(check)")
        await host.shutdown()
    }

    @Test func capacityErrorsKeepTheirCode() async throws {
        let fx = try PluginFixture(tag: "cap")
        defer { fx.cleanUp() }
        let path = try fx.python(
            "full",
            methods:
                #"send({"id": msg["id"], "error": {"code": "capacity", "message": "no H100 in lab", "retryable": True}})"#
        )
        let plugin = try await PluginProvisioner.connect(fx.host("full", path: path))
        let locator = ClusterLocator(clusterName: "c", clusterNameOnCloud: "c", region: "r")
        do {
            _ = try await plugin.queryInstances(locator)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "capacity")
            #expect(error.message.contains("no H100 in lab"))
            #expect(error.message.contains("'full'"))
        }
        await plugin.host.shutdown()
    }

    @Test func overlappingCallsAreMatchedById() async throws {
        let fx = try PluginFixture(tag: "conc")
        defer { fx.cleanUp() }
        // Holds the first request until the second arrives, then answers in reverse order.
        let path = try fx.python(
            "rev",
            methods: """
                held = globals().setdefault("held", [])
                held.append(msg)
                if len(held) == 2:
                    for m in reversed(held):
                        send({"id": m["id"], "result": {"echo": m["params"]["n"]}})
                    held.clear()
                """)
        let host = fx.host("rev", path: path)
        _ = try await host.handshake()
        async let a = host.call("echo", params: .object([("n", .int(1))]), deadline: 20)
        async let b = host.call("echo", params: .object([("n", .int(2))]), deadline: 20)
        let (ra, rb) = try await (a, b)
        #expect(ra["echo"] == .int(1))
        #expect(rb["echo"] == .int(2))
        await host.shutdown()
    }

    @Test func aCrashFailsPendingCallsNamingThePlugin() async throws {
        let fx = try PluginFixture(tag: "crash")
        defer { fx.cleanUp() }
        let path = try fx.python(
            "crashy",
            methods: "sys.stderr.write('boom: out of memory\\n'); sys.stderr.flush(); sys.exit(3)")
        let host = fx.host("crashy", path: path)
        do {
            _ = try await host.call("queryInstances", deadline: 30)
            Issue.record("expected a crash error")
        } catch {
            guard case .crashed(let name, _, let status, let tail) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "crashy")
            #expect(status == 3)
            #expect(tail.contains("boom: out of memory"))
            #expect(error.description.contains("Plugin 'crashy'"))
        }
        // The next call starts a fresh child.
        _ = try await host.handshake()
        #expect(await host.isRunning)
        await host.shutdown()
    }

    @Test func aHangPastTheDeadlineTimesOutAndSendsCancel() async throws {
        let fx = try PluginFixture(tag: "hang")
        defer { fx.cleanUp() }
        let marker = fx.root + "/cancelled"
        let path = try fx.script(
            "hangs",
            """
            #!/usr/bin/env python3
            import json, sys
            for line in sys.stdin:
                msg = json.loads(line)
                if msg.get("method") == "handshake":
                    print(json.dumps({"id": msg["id"], "result": {"protocolVersion": 1, "name": "hangs", "capabilities": []}}), flush=True)
                elif msg.get("method") == "cancel":
                    open("\(marker)", "w").write(str(msg["params"]["id"]))
                # anything else: never answered
            """)
        let host = fx.host("hangs", path: path)
        do {
            _ = try await host.call("runInstances", deadline: 0.5)
            Issue.record("expected a timeout")
        } catch {
            #expect(error == .timedOut(plugin: "hangs", method: "runInstances", seconds: 0.5))
            #expect(error.description.contains("did not answer 'runInstances'"))
        }
        // The child is still usable and received the cancel notification.
        _ = try await host.handshake()
        // The plugin creates the file, then writes it: wait for its content, not for the file.
        var cancelled = ""
        for _ in 0..<100 where cancelled.isEmpty {
            try await _Concurrency.Task.sleep(for: .milliseconds(50))
            cancelled = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
        }
        #expect(cancelled == "2")
        await host.shutdown()
    }

    @Test func garbageOnStdoutIsAClearError() async throws {
        let fx = try PluginFixture(tag: "garb")
        defer { fx.cleanUp() }
        let path = try fx.python("noisy", methods: "print('Loading credentials...', flush=True)")
        let host = fx.host("noisy", path: path)
        do {
            _ = try await host.call("queryInstances", deadline: 30)
            Issue.record("expected a garbage error")
        } catch {
            #expect(error == .garbage(plugin: "noisy", path: path, line: "Loading credentials..."))
            #expect(error.description.contains("stderr"))
        }
        #expect(await !host.isRunning)
    }

    @Test func anUnknownProtocolVersionIsRefused() async throws {
        let fx = try PluginFixture(tag: "ver")
        defer { fx.cleanUp() }
        let path = try fx.python("future", handshakeVersion: 99, methods: "reply({})")
        let host = fx.host("future", path: path)
        do {
            _ = try await PluginProvisioner.connect(host)
            Issue.record("expected a version error")
        } catch {
            #expect(
                error
                    == .unsupportedVersion(
                        plugin: "future", path: path, offered: [99], supported: [1]))
            #expect(error.description.contains("protocol version(s) 99"))
        }
        #expect(await !host.isRunning)
    }

    @Test func aPluginRunByHandPrintsAHint() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PluginFixture.inventoryPlugin)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: PluginWire.magicKey)
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(text.contains("sky runs it"))
    }

    @Test func aMissingExecutableFailsToLaunch() async throws {
        let host = PluginHost(name: "ghost", path: "/nonexistent/sky-provisioner-ghost")
        await #expect(throws: PluginError.self) { _ = try await host.handshake() }
    }
}

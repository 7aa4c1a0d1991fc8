import Foundation
import Synchronization
import MailboxOnboard

/// A real DNS server on loopback for the tests and the benchmark: Debian's unbound, serving zone files the test
/// writes (`auth-zone`), dropping every question under the `unanswered` names (`local-zone: NAME deny`, so they
/// time out), and logging every question it receives, which `queries()` reads back.
public final class DNSServer: Sendable {
    public let folder: Scratch
    public let port: Int
    /// Where to ask: unbound itself, or with `answerDelay` the relay in front of it.
    public let askPort: Int
    /// For `--dns-server` and `DNSConfiguration.server`.
    public var address: String { "127.0.0.1:\(askPort)" }
    private let processes = ServerProcesses()
    private let log = QueryLog()

    /// `zones` maps each zone's name to its records, one zone-file line each, names relative to the zone (`@` for
    /// its apex); the start of authority and name server records are added. With `answerDelay` (seconds), questions
    /// go through a relay that hands each answer back that much later, as from a resolver far away (UDP only).
    public init(zones: [String: [String]], unanswered: [String] = [], answerDelay: Double = 0) throws {
        folder = try Scratch()
        port = try MailServers.freePort(avoiding: [])
        askPort = answerDelay > 0 ? try MailServers.freePort(avoiding: [port]) : port
        var config = """
            server:
              interface: 127.0.0.1
              port: \(port)
              do-ip6: no
              do-daemonize: no
              num-threads: 1
              username: ""
              chroot: ""
              pidfile: ""
              directory: "\(folder.url.path)"
              use-syslog: no
              logfile: ""
              verbosity: 1
              log-queries: yes
              module-config: "iterator"
              # A check sends hundreds of questions at once; the kernel's default buffer drops some of such a burst.
              so-rcvbuf: 4m
              so-sndbuf: 4m
              # test. is one of unbound's built-in empty zones (RFC 6761); the zones below live under it.
              local-zone: "test." nodefault
              local-zone: "sentinel.test." static

            """
        for name in unanswered { config += "  local-zone: \"\(name).\" deny\n" }
        for (zone, records) in zones.sorted(by: { $0.key < $1.key }) {
            let file = try folder.write("\(zone).zone", """
                $ORIGIN \(zone).
                $TTL 300
                @ IN SOA ns.\(zone). hostmaster.\(zone). 1 3600 600 86400 300
                @ IN NS ns.\(zone).
                ns IN A 127.0.0.1
                \(records.joined(separator: "\n"))

                """)
            config += """
                auth-zone:
                  name: "\(zone)."
                  zonefile: "\(file)"
                  for-downstream: yes
                  for-upstream: no
                  fallback-enabled: no

                """
        }
        let configFile = try folder.write("unbound.conf", config)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/sbin/unbound-checkconf")
        check.arguments = [configFile]
        let checkOutput = Pipe()
        check.standardOutput = checkOutput
        check.standardError = checkOutput
        try check.run()
        let checkText = String(decoding: checkOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        guard check.terminationStatus == 0 else { throw MailServers.ServerFailure(message: "unbound's configuration: \(checkText)") }
        try start(configFile)
        if answerDelay > 0 {
            do {
                try startRelay(delay: answerDelay)
            } catch {
                stop()
                throw error
            }
        }
    }

    deinit { stop() }

    /// Stops unbound and the relay, and waits for them.
    public func stop() { processes.stopAll() }

    private func startRelay(delay: Double) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("delay-relay.py").path
        try processes.launch("/usr/bin/python3", [script, "\(askPort)", "\(port)", "\(delay)"], readyWhen: "ready", onStandardError: false)
    }

    /// Every question the server has received, in order, as `name TYPE` (lower case, no final dot). It asks a
    /// question of its own first and returns once that one is in the log, so nothing asked before is missing.
    public func queries() async throws -> [String] {
        let sentinel = "q\(UInt64.random(in: 0...UInt64.max)).sentinel.test"
        let resolver = try DNSResolver(DNSConfiguration(server: address, timeout: .seconds(5)))
        let answer = await resolver.query(sentinel, .txt)
        resolver.shutdown()
        // unbound logs a question before it answers it: answered, the line is on its way; unanswered, it may never come.
        guard answer == .noSuchName else { throw MailServers.ServerFailure(message: "unbound did not answer its own sentinel: \(answer)") }
        let lines = try await log.lines(through: sentinel)
        return lines.compactMap(Self.question).filter { !$0.hasSuffix(".sentinel.test TXT") }
    }

    /// `info: 127.0.0.1 name. TYPE IN` -> `name TYPE`.
    static func question(_ line: String) -> String? {
        guard let info = line.range(of: "info: 127.0.0.1 ") else { return nil }
        let words = line[info.upperBound...].split(separator: " ")
        guard words.count >= 3, words[2] == "IN" else { return nil }
        var name = words[0].lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return "\(name) \(words[1])"
    }

    /// Starts unbound and keeps its output: the query log, also kept in the folder for looking into a failure.
    private func start(_ configFile: String) throws {
        // unbound ignores its standard input; the supervisor stops it when that closes.
        let supervisor = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MailServers/supervise.py").path
        let log = self.log
        let file = FileManager.default.createFile(atPath: folder.path("unbound.log"), contents: nil)
            ? FileHandle(forWritingAtPath: folder.path("unbound.log")) : nil
        try processes.launch("/usr/bin/python3", [supervisor, "/usr/sbin/unbound", "-d", "-c", configFile],
                             readyWhen: "start of service", onStandardError: true) { chunk in
            file?.write(chunk)
            if chunk.isEmpty { log.finish() } else { log.append(String(decoding: chunk, as: UTF8.self)) }
        }
    }
}

/// The server's output as lines, with a way to wait for one holding a given text.
private final class QueryLog: Sendable {
    private let state = Mutex<(text: String, finished: Bool, waiters: [(String, CheckedContinuation<[String], any Error>)])>(("", false, []))

    func append(_ chunk: String) {
        let ready = state.withLock { state in
            state.text += chunk
            let lines = Self.complete(state.text)
            var ready: [(CheckedContinuation<[String], any Error>, [String])] = []
            state.waiters.removeAll { marker, continuation in
                guard lines.contains(where: { $0.contains(marker) }) else { return false }
                ready.append((continuation, lines))
                return true
            }
            return ready
        }
        for (continuation, lines) in ready { continuation.resume(returning: lines) }
    }

    func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for (_, continuation) in waiters { continuation.resume(throwing: MailServers.ServerFailure(message: "unbound stopped")) }
    }

    /// Every complete line once one of them contains `marker`.
    func lines(through marker: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: [String]? = state.withLock { state in
                let lines = Self.complete(state.text)
                if lines.contains(where: { $0.contains(marker) }) { return lines }
                if state.finished { return [] }
                state.waiters.append((marker, continuation))
                return nil
            }
            if let ready {
                if ready.isEmpty { continuation.resume(throwing: MailServers.ServerFailure(message: "unbound stopped")) } else { continuation.resume(returning: ready) }
            }
        }
    }

    private static func complete(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if !text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        return lines
    }
}

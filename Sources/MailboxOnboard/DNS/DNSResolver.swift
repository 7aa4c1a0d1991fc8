import CAres
import Dispatch
import Foundation
import Synchronization

public struct DNSResolverError: Error, CustomStringConvertible {
    public var description: String
}

/// Questions to DNS through c-ares: Debian's asynchronous resolver library, which reads the system's resolvers,
/// retries, falls back to TCP for long TXT answers and parses each record type. Its channel is not thread-safe, so
/// one thread owns it and runs its event loop; `query` hands questions over through a queue and a wake-up pipe.
/// That thread keeps the resolver until `shutdown`, which every user calls when done.
// Sendable: `channel` is touched only by the loop thread (and by `init` before that thread starts); the queue and
// the flag are behind a mutex.
public final class DNSResolver: DNSLookup, @unchecked Sendable {
    private let channel: ares_channel
    private let waiting = Mutex<(questions: [Question], stopping: Bool)>(([], false))
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)

    private static let initialised: Int32 = ares_library_init(ARES_LIB_INIT_ALL)

    public init(_ configuration: DNSConfiguration) throws(DNSResolverError) {
        guard Self.initialised == ARES_SUCCESS else { throw DNSResolverError(description: "c-ares could not start") }
        // Each name is asked twice; c-ares doubles the wait on the second try, so a third of the timeout comes first.
        let total = configuration.timeout.components
        let totalMs = Int(total.seconds) * 1000 + Int(total.attoseconds / 1_000_000_000_000_000)
        var options = ares_options()
        options.timeout = Int32(max(totalMs / 3, 1))
        options.tries = 2
        options.flags = ARES_FLAG_EDNS
        options.ednspsz = 1232
        // Hundreds of questions are in flight at once, and a nearby resolver answers them in a burst that overflows
        // the kernel's default buffer (the answers lost would each cost a retry's wait). The kernel caps the size.
        options.socket_receive_buffer_size = 1 << 20
        var created: ares_channel?
        let status = ares_init_options(&created, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_RCVBUF)
        guard status == ARES_SUCCESS, let created else {
            throw DNSResolverError(description: "the resolver could not start: \(String(cString: ares_strerror(status)))")
        }
        if let server = configuration.server {
            let set = ares_set_servers_ports_csv(created, server)
            guard set == ARES_SUCCESS else {
                ares_destroy(created)
                throw DNSResolverError(description: "\(server) is not ADDRESS:PORT: \(String(cString: ares_strerror(set)))")
            }
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            ares_destroy(created)
            throw DNSResolverError(description: "no pipe for the resolver: errno \(errno)")
        }
        channel = created
        (wakeRead, wakeWrite) = (ends[0], ends[1])
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        _ = fcntl(wakeWrite, F_SETFL, O_NONBLOCK)
        let thread = Thread { [self] in loop() }
        thread.name = "dns"
        thread.start()
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// The answer, or `.failed` at once when the calling task is cancelled (c-ares's answer, when it comes, is dropped).
    public func query(_ name: String, _ type: DNSRecordType) async -> DNSAnswer {
        let question = Question(name: name, type: type)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard question.wait(continuation) else { return }
                let accepted = waiting.withLock { waiting in
                    guard !waiting.stopping else { return false }
                    waiting.questions.append(question)
                    return true
                }
                if accepted { wake() } else { question.finish(.failed("the resolver has stopped")) }
            }
        } onCancel: {
            question.finish(.failed("stopped"))
        }
    }

    /// Stops the loop: questions still open are answered `.failed`. Call once, when no more questions will come.
    public func shutdown() {
        let first = waiting.withLock { waiting in
            defer { waiting.stopping = true }
            return !waiting.stopping
        }
        guard first else { return }
        wake()
        finished.wait()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func loop() {
        while true {
            let (questions, stopping) = waiting.withLock { waiting in
                defer { waiting.questions.removeAll() }
                return (waiting.questions, waiting.stopping)
            }
            for question in questions { send(question) }
            if stopping { break }
            wait()
        }
        // Destroying the channel answers every open question with ARES_EDESTRUCTION.
        ares_destroy(channel)
        finished.signal()
    }

    /// Waits for the wake-up pipe or c-ares's sockets, at most until c-ares's next timeout, and lets c-ares act.
    private func wait() {
        let maximum = Int(ARES_GETSOCK_MAXNUM)
        var sockets = [ares_socket_t](repeating: ARES_SOCKET_BAD, count: maximum)
        let bits = ares_getsock(channel, &sockets, Int32(maximum))
        var polled = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        for number in 0..<maximum {
            let readable = mailbox_onboard_ares_readable(bits, Int32(number)) != 0
            let writable = mailbox_onboard_ares_writable(bits, Int32(number)) != 0
            guard readable || writable else { continue }
            polled.append(pollfd(fd: sockets[number], events: Int16((readable ? POLLIN : 0) | (writable ? POLLOUT : 0)), revents: 0))
        }
        var room = timeval()
        let next = ares_timeout(channel, nil, &room)
        let milliseconds: Int32 = next.map { Int32($0.pointee.tv_sec * 1000 + Int($0.pointee.tv_usec) / 1000) } ?? -1
        _ = poll(&polled, nfds_t(polled.count), milliseconds)
        if polled[0].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &drain, drain.count) > 0 {}
        }
        for entry in polled.dropFirst() where entry.revents != 0 {
            let readable = entry.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
            let writable = entry.revents & Int16(POLLOUT) != 0
            ares_process_fd(channel, readable ? entry.fd : ARES_SOCKET_BAD, writable ? entry.fd : ARES_SOCKET_BAD)
        }
        // With no socket ready this still runs c-ares's timeouts and retries.
        ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD)
    }

    private func send(_ question: Question) {
        let code: Int32 = switch question.type {
        case .a: 1
        case .mx: 15
        case .txt: 16
        }
        let box = Unmanaged.passRetained(question).toOpaque()
        ares_query(channel, question.name, 1, code, { argument, status, _, answer, length in
            let question = Unmanaged<Question>.fromOpaque(argument!).takeRetainedValue()
            question.finish(DNSResolver.answer(question.type, status: status, answer, Int(length)))
        }, box)
    }

    static func answer(_ type: DNSRecordType, status: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: Int) -> DNSAnswer {
        switch status {
        case ARES_SUCCESS: break
        case ARES_ENODATA: return .noRecords
        case ARES_ENOTFOUND: return .noSuchName
        case ARES_ETIMEOUT: return .timedOut
        default: return .failed(String(cString: ares_strerror(status)))
        }
        guard let buffer else { return .failed("empty answer") }
        let parsed: Int32
        var answer = DNSAnswer.noRecords
        switch type {
        case .txt:
            var list: UnsafeMutablePointer<ares_txt_ext>?
            parsed = ares_parse_txt_reply_ext(buffer, Int32(length), &list)
            var records: [String] = []
            var node = list
            while let current = node {
                let text = String(decoding: UnsafeBufferPointer(start: current.pointee.txt, count: current.pointee.length), as: UTF8.self)
                // The strings of one record follow each other; record_start marks where the next record begins.
                if current.pointee.record_start != 0 || records.isEmpty { records.append(text) } else { records[records.count - 1] += text }
                node = current.pointee.next
            }
            if list != nil { ares_free_data(list) }
            if !records.isEmpty { answer = .records(records) }
        case .mx:
            var list: UnsafeMutablePointer<ares_mx_reply>?
            parsed = ares_parse_mx_reply(buffer, Int32(length), &list)
            var records: [MXRecord] = []
            var node = list
            while let current = node {
                var host = current.pointee.host.map { String(cString: $0) } ?? ""
                if host.hasSuffix(".") { host.removeLast() }
                records.append(MXRecord(preference: Int(current.pointee.priority), host: host))
                node = current.pointee.next
            }
            if list != nil { ares_free_data(list) }
            if !records.isEmpty { answer = .mx(records) }
        case .a:
            var addresses = [ares_addrttl](repeating: ares_addrttl(), count: 32)
            var count: Int32 = 32
            parsed = ares_parse_a_reply(buffer, Int32(length), nil, &addresses, &count)
            let found = addresses.prefix(Int(max(count, 0))).map { entry in
                var address = entry.ipaddr
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if !found.isEmpty { answer = .records(found) }
        }
        switch parsed {
        case ARES_SUCCESS: return answer
        case ARES_ENODATA: return .noRecords
        default: return .failed("unreadable answer: \(String(cString: ares_strerror(parsed)))")
        }
    }

    /// One question and whoever waits for its answer, answered once: by c-ares's callback or by a cancellation,
    /// whichever comes first.
    private final class Question: Sendable {
        let name: String
        let type: DNSRecordType
        private let state = Mutex<(continuation: CheckedContinuation<DNSAnswer, Never>?, answer: DNSAnswer?)>((nil, nil))

        init(name: String, type: DNSRecordType) {
            self.name = name
            self.type = type
        }

        /// Keeps the waiter; false (and answered) when the question was answered already, by a cancellation.
        func wait(_ continuation: CheckedContinuation<DNSAnswer, Never>) -> Bool {
            let early = state.withLock { state in
                if state.answer == nil { state.continuation = continuation }
                return state.answer
            }
            if let early { continuation.resume(returning: early) }
            return early == nil
        }

        func finish(_ answer: DNSAnswer) {
            let waiter = state.withLock { state -> CheckedContinuation<DNSAnswer, Never>? in
                guard state.answer == nil else { return nil }
                state.answer = answer
                defer { state.continuation = nil }
                return state.continuation
            }
            waiter?.resume(returning: answer)
        }
    }
}

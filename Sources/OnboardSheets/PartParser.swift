import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// What parses one XML part, told of elements and text as libxml2 reports them: names and values are bytes in
/// libxml2's buffers, turned into strings only where a value is kept. A sheet has millions of elements.
class PartDelegate {
    /// Set once `stop` is called: the part holds nothing more that is needed, or the reader went away.
    private(set) var stopped = false

    func start(_ element: XMLElement) {}
    func end(_ name: XMLName) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    func stop() { stopped = true }
}

/// An element's name: its local part, and the prefix it was written with (`table` in `table:table-row`).
struct XMLName {
    let local: UnsafePointer<UInt8>
    let prefix: UnsafePointer<UInt8>?

    /// Whether the local name is `name`, whatever the prefix: .xlsx writers use none, or `x:`.
    func `is`(_ name: StaticString) -> Bool { equal(local, name) }

    /// Whether the name is `prefix:name`, as OpenDocument writes every element and attribute.
    func `is`(_ prefix: StaticString, _ name: StaticString) -> Bool {
        guard let written = self.prefix else { return false }
        return equal(local, name) && equal(written, prefix)
    }
}

/// A start tag: the name and the attributes, read in place.
struct XMLElement {
    let name: XMLName
    /// libxml2's layout: five pointers per attribute (local name, prefix, namespace, value start, value end).
    fileprivate let attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    fileprivate let count: Int

    /// The value of the attribute `name` (`prefix:name` when a prefix is given), as bytes.
    func bytes(_ name: StaticString, prefix: StaticString? = nil) -> UnsafeBufferPointer<UInt8>? {
        guard let attributes else { return nil }
        for index in 0..<count {
            let base = index * 5
            guard let local = attributes[base], equal(local, name) else { continue }
            if let prefix {
                guard let written = attributes[base + 1], equal(written, prefix) else { continue }
            }
            guard let start = attributes[base + 3], let end = attributes[base + 4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    func string(_ name: StaticString, prefix: StaticString? = nil) -> String? {
        bytes(name, prefix: prefix).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A non-negative decimal integer, read without making a string; nil for anything else or past 10^15.
    func integer(_ name: StaticString, prefix: StaticString? = nil) -> Int? {
        bytes(name, prefix: prefix).flatMap(decimal)
    }
}

/// A non-negative decimal integer from its digits; nil for anything else or past 10^15.
func decimal(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !digits.isEmpty, digits.count <= 15 else { return nil }
    var value = 0
    for digit in digits {
        guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(digit - UInt8(ascii: "0"))
    }
    return value
}

private func equal(_ bytes: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
    strcmp(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
}

/// One libxml2 push parser feeding a `PartDelegate`, given the part's bytes a chunk at a time.
///
/// No entity is substituted and nothing is loaded from the network (`XML_PARSE_NONET`); `XMLGate` has already
/// refused any document type declaration before a byte gets here. libxml2's error messages go nowhere: a cell's
/// text, a password's among them, could be quoted in one.
final class PushParser {
    private static let initialized: Void = xmlInitParser()
    private let context: xmlParserCtxtPtr
    private let delegate: PartDelegate

    init(delegate: PartDelegate) {
        _ = Self.initialized
        self.delegate = delegate
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, local, prefix, _, _, _, count, _, attributes in
            guard let context, let local else { return }
            let delegate = Unmanaged<PartDelegate>.fromOpaque(context).takeUnretainedValue()
            // The rest of a chunk is parsed after a stop; none of it reaches the delegate.
            guard !delegate.stopped else { return }
            delegate.start(XMLElement(name: XMLName(local: local, prefix: prefix), attributes: attributes, count: Int(count)))
        }
        handler.endElementNs = { context, local, prefix, _ in
            guard let context, let local else { return }
            let delegate = Unmanaged<PartDelegate>.fromOpaque(context).takeUnretainedValue()
            guard !delegate.stopped else { return }
            delegate.end(XMLName(local: local, prefix: prefix))
        }
        let text: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes else { return }
            let delegate = Unmanaged<PartDelegate>.fromOpaque(context).takeUnretainedValue()
            guard !delegate.stopped else { return }
            delegate.text(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = text
        handler.cdataBlock = text
        handler.ignorableWhitespace = text
        handler.serror = { _, _ in }
        let user = Unmanaged.passUnretained(delegate).toOpaque()
        context = xmlCreatePushParserCtxt(&handler, user, nil, 0, nil)
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
    }

    deinit {
        xmlFreeParserCtxt(context)
    }

    /// False once the part is known not to be well-formed XML.
    func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        return xmlParseChunk(context, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0) == 0
    }

    /// The end of the part: false if it is not well-formed XML, or ends early.
    func finish() -> Bool {
        xmlParseChunk(context, nil, 0, 1) == 0
    }
}

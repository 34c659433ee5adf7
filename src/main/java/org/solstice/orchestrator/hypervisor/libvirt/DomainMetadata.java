package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The orchestrator's own {@code <metadata>} element in a domain's XML: which orchestrator instance made the
 * domain and for which request. The leak reaper recognises its domains by it.
 */
final class DomainMetadata {
    static final String NAMESPACE = "urn:x-solstice:orchestrator:vm:1";
    static final String PREFIX = "solstice";
    static final String ELEMENT = "vm";
    static final String INSTANCE = "instance";
    static final String REQUEST_ID = "request-id";
    static final String IMAGE = "image";

    private DomainMetadata() {
    }

    /** The instance named in the domain XML's metadata, or empty when the domain is not one of ours. */
    static Optional<String> instanceOf(String domainXml) {
        return field(domainXml, INSTANCE);
    }

    static Optional<String> requestIdOf(String domainXml) {
        return field(domainXml, REQUEST_ID);
    }

    private static Optional<String> field(String domainXml, String name) {
        NodeList nodes = parse(domainXml).getElementsByTagNameNS(NAMESPACE, name);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent());
    }

    /** A namespace-aware DOM parse with external entities and DTDs off. */
    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("cannot parse domain XML: " + e.getMessage(), e);
        }
    }
}

/**
 * KVMNet marks the libvirt networks it defines with one element inside `<metadata>`, so that it can
 * tell its own networks from foreign ones (shown read-only) after reading them back from libvirt.
 * libvirt keeps foreign-namespace metadata verbatim; readers must match the namespace URI, never
 * the prefix, because anyone may write the same URI under another prefix.
 */
export const KVMNET_XMLNS = 'https://kvmnet.invalid/xmlns/network/1';

/** the prefix KVMNet writes; readers accept any prefix bound to KVMNET_XMLNS */
export const KVMNET_XML_PREFIX = 'kvmnet';

/** local name of the element under `<metadata>` */
export const KVMNET_METADATA_ELEMENT = 'network';

/** version of what the element holds; bumped when its attributes change meaning */
export const KVMNET_METADATA_VERSION = 1;

/** `virsh net-list --name` and `virsh list --name` print one name a line and end with a blank line */
export const parseVirshNames = (output: string): string[] => output.split('\n').map((l) => l.trim()).filter((l) => l !== '');

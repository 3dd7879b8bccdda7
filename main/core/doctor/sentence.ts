/** summaries often start with a label written for mid-sentence ("the network …", "tap kvtap0") */
export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export interface ElectronBinary {
  path: string | null;
  reason: string | null;
}
export function findElectronBinary(root?: string): ElectronBinary;

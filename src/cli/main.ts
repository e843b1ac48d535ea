export async function main(argv: string[]): Promise<number> {
  console.log('defcore', argv.join(' '));
  return 0;
}

// Replaced by the foundation's database setup; kept minimal so unit tests run meanwhile.
export default async function setup(): Promise<void> {}

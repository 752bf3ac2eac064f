/** Test doubles of the runtime's collaborators: requestors with scripted replies. */
export { FakeRequestor, fakeRequestors, type Script, type Sent } from './fake-requestor.ts';

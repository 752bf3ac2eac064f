/** Test doubles of the call core's collaborators: media, driver, endpoint, conference room. */
export { FakeMedia, type FakeMediaOp, type FakeOperation } from './fake-media.ts';
export { FakeDriver, type FakeBehaviour, type FakeDriverOp } from './fake-driver.ts';
export { FakeRoom, fakeRoomFactory, type FakeMembership } from './fake-room.ts';
export { FakeEndpoint, answerAfter, explode, refuseAfter, ringForever, type Behaviour, type FakeLeg } from './fake-endpoint.ts';
export { createHarness, type Harness } from './harness.ts';

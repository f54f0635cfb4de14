export { type AxisPadding, samePadding, outputSize } from '../../window.js';

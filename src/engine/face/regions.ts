/**
 * Named regions of the 468-point face mesh (MediaPipe topology), as ordered outlines or point sets.
 * "left"/"right" are as seen in the picture of an upright face.
 */

/** The face outline, clockwise from the top of the forehead. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136,
  172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
] as const;

/** Outer lip outline, from the image-left mouth corner along the lower lip. */
export const LIPS_OUTER = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185] as const;

/** Inner lip outline (the mouth opening), from the image-left inner corner along the lower lip. */
export const LIPS_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191] as const;

/** Every other lip point between the outlines. */
export const LIPS_BETWEEN = [
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 408, 304, 303, 302, 11, 72, 73, 74, 184, 62, 96, 89, 179, 86, 15, 316,
  403, 319, 325, 292, 407, 272, 271, 268, 12, 38, 41, 42, 183,
] as const;

/** Eye outlines as closed polygons: outer corner, lower lid, inner corner, upper lid. */
export const EYE_POLYGON = {
  left: [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  right: [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
} as const;

/** The ring of lid points just outside each eye outline, which moves with blinks. */
export const EYE_RING = {
  left: [130, 25, 110, 24, 23, 22, 26, 112, 243, 190, 56, 28, 27, 29, 30, 247, 113, 226, 31, 228, 229, 230, 231, 232, 233, 244, 189, 221, 222, 223, 224, 225],
  right: [359, 255, 339, 254, 253, 252, 256, 341, 463, 414, 286, 258, 257, 259, 260, 467, 342, 446, 261, 448, 449, 450, 451, 452, 453, 464, 413, 441, 442, 443, 444, 445],
} as const;

/** Each upper lid and the skin above it up to the brow: eye corners, upper lid, then the brow's lower edge back. */
export const LIDS = {
  left: [33, 246, 161, 160, 159, 158, 157, 173, 133, 55, 65, 52, 53, 46],
  right: [263, 466, 388, 387, 386, 385, 384, 398, 362, 285, 295, 282, 283, 276],
} as const;

/** Each lower lid and the skin just below it: eye corners, lower lid, then a ring further down back. */
export const LOWER_LIDS = {
  left: [33, 7, 163, 144, 145, 153, 154, 155, 133, 244, 233, 232, 231, 230, 229, 228, 31, 226],
  right: [263, 249, 390, 373, 374, 380, 381, 382, 362, 464, 453, 452, 451, 450, 449, 448, 261, 446],
} as const;

/** Eyebrows. */
export const BROWS = {
  left: [70, 63, 105, 66, 107, 55, 65, 52, 53, 46, 156, 124, 35],
  right: [300, 293, 334, 296, 336, 285, 295, 282, 283, 276, 383, 353, 265],
} as const;

/** Chin and lower jaw, which follow the mouth as it opens. */
export const CHIN = [152, 148, 176, 377, 400, 378, 149, 175, 199, 200, 18, 83, 313, 201, 421, 208, 428, 171, 396, 32, 262, 194, 418, 140, 369] as const;

/**
 * Points that barely move with expression (nose, forehead, eye corners, cheekbones, upper face outline):
 * the head's rigid pose is fitted on these alone.
 */
export const RIGID = [
  168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 98, 327, 33, 133, 263, 362, 10, 151, 9, 8, 107, 336, 234, 454, 93, 323, 127, 356, 21, 251,
  54, 284, 103, 332, 67, 297, 109, 338, 116, 345, 123, 352, 50, 280, 101, 330, 36, 266, 142, 371,
] as const;

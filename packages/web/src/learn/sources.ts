/** The published sources the Learn pages draw on, named as readers can look them up. */
export const SOURCES = {
  mayo: 'Mayo Clinic: patient pages on dystonia.',
  torresRussotto:
    'Torres-Russotto D. and Perlmutter J.S., "Focal dystonias of the hand and upper extremity", Journal of Hand Surgery (American volume), 2008;33(9):1657–1658.',
  dmrf: 'Dystonia Medical Research Foundation: information for patients.',
  ninds: 'National Institute of Neurological Disorders and Stroke (NINDS, USA): dystonia information page.',
  medlineplus: 'MedlinePlus, US National Library of Medicine: dystonia.',
  ledda:
    'Ledda C. et al., time to onset and duration of botulinum toxin effects in 186 patients, Journal of Neurology, 2022.',
  kruisdijk:
    'Kruisdijk J.J.M. et al., botulinum toxin for writer’s cramp, a randomised controlled trial, Journal of Neurology, Neurosurgery and Psychiatry, 2007.',
} as const;
